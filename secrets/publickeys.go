package secrets

// A publishedKey is a credential that its issuer publishes in the open
// sources of its own SDKs, as a test fixture, a sample configuration or a
// documentation example, with where it was found.
type publishedKey struct {
	value string
	repo  string // GitHub owner/name
	path  string // the file, at the commit when it is not in the default branch
}

// publishedKeys are Google API keys that Firebase's SDKs publish in their
// own repositories: key-format tests (isValidApiKeyFormat), the
// google-services.json and GoogleService-Info.plist of test and demo
// projects, and doc comments. Anyone can read them there, so they protect
// nothing; a copy of one in a scanned tree is no leak of its owner's
// credential. A finding on one is kept in the report, suppressed as
// [Published], since a test key copied into an application is still a bug
// worth a look in strict mode.
//
// Each entry was taken from the file named, by grepping the SDKs' sources
// (firebase-android-sdk at a089298e, firebase-js-sdk at 6f865964,
// firebase-ios-sdk at eed63a35, and the named older commits of
// firebase-android-sdk) for the shape AIza plus 35 URL-safe base64
// characters.
var publishedKeys = []publishedKey{
	// firebase-android-sdk: Utils.isValidApiKeyFormat's test.
	{"AIzaSyabcdefghijklmnopqrstuvwxyz1234567", "firebase/firebase-android-sdk", "firebase-installations/src/test/java/com/google/firebase/installations/FirebaseInstallationsTest.java"},
	{"AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ", "firebase/firebase-android-sdk", "firebase-installations/src/test/java/com/google/firebase/installations/FirebaseInstallationsTest.java"},
	{"AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM", "firebase/firebase-android-sdk", "firebase-installations/src/test/java/com/google/firebase/installations/FirebaseInstallationsTest.java"},
	{"AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY", "firebase/firebase-android-sdk", "firebase-installations/src/test/java/com/google/firebase/installations/FirebaseInstallationsTest.java"},
	{"AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4", "firebase/firebase-android-sdk", "firebase-installations/src/test/java/com/google/firebase/installations/FirebaseInstallationsTest.java"},
	{"AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c", "firebase/firebase-android-sdk", "firebase-installations/src/test/java/com/google/firebase/installations/FirebaseInstallationsTest.java"},
	{"AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs", "firebase/firebase-android-sdk", "firebase-installations/src/test/java/com/google/firebase/installations/FirebaseInstallationsTest.java"},
	// firebase-android-sdk: the options of test apps.
	{"AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0", "firebase/firebase-android-sdk", "firebase-common/src/androidTest/java/com/google/firebase/FirebaseOptionsTest.java"},
	{"AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU", "firebase/firebase-android-sdk", "firebase-messaging/src/test/java/com/google/firebase/messaging/testing/FirebaseIidTestUtil.java"},
	{"AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g", "firebase/firebase-android-sdk", "firebase-messaging/src/test/java/com/google/firebase/messaging/testing/MessagingTestHelper.java"},
	{"AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw", "firebase/firebase-android-sdk", "firebase-perf/src/test/java/com/google/firebase/perf/FirebasePerformanceTestBase.java"},
	{"AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM", "firebase/firebase-android-sdk", "firebase-storage/src/test/java/com/google/firebase/storage/TestUtil.java at 0f3ce63c"},
	{"AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU", "firebase/firebase-android-sdk", "firebase-storage/src/androidTest/java/com/google/firebase/storage/integration/IntegrationTest.java at 0f3ce63c"},
	// firebase-android-sdk: the Data Connect test project's
	// google-services.json (project number 12345678901), in its
	// successive versions.
	{"AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A", "firebase/firebase-android-sdk", "firebase-dataconnect/google-services.json"},
	{"AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY", "firebase/firebase-android-sdk", "firebase-dataconnect/google-services.json at 3533d854"},
	{"AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE", "firebase/firebase-android-sdk", "firebase-dataconnect/google-services.json at 27e8f10a"},
	// firebase-android-sdk: FirebaseOptions.getApiKey's doc comment.
	{"AIzaSyDdVgKwhZl0sTTTLZ7iTmt1r3N2cJLnaDk", "firebase/firebase-android-sdk", "firebase-common/src/main/java/com/google/firebase/FirebaseOptions.java"},
	// firebase-js-sdk: CI and test apps.
	{"AIzaSyBNHCyZ-bpv-WA-HpXTmigJm2aq3z1kaH8", "firebase/firebase-js-sdk", "config/ci.config.json"},
	{"AIzaSyBpIe0xyUNHOwtE_go32NmUJF4acsc6S6c", "firebase/firebase-js-sdk", "integration/messaging/test/static/constants.js"},
	{"AIzaSyAiJrwL5_-j6PefkoY9dFVGvIVYcTMCC_I", "firebase/firebase-js-sdk", "packages/installations/test-app/index.html"},
	// firebase-ios-sdk: key-format tests and a sample app.
	{"AIzaSy-ApiKeyWithValidFormat_0123456789", "firebase/firebase-ios-sdk", "FirebaseInstallations/Source/Tests/Unit/FIRInstallationsTests.m"},
	{"AIzaSyAzlj4APqi5S58nFtE52Da0fYBOHA2MhaY", "firebase/firebase-ios-sdk", "Example/FirestoreSample/FirestoreSample/GoogleService-Info.plist"},
}

// publishedSet indexes publishedKeys by value.
var publishedSet = func() map[string]bool {
	m := make(map[string]bool, len(publishedKeys))
	for _, k := range publishedKeys {
		m[k.value] = true
	}
	return m
}()

// isPublished reports whether secret is one of the publishedKeys.
func isPublished(secret string) bool {
	return len(secret) == 39 && publishedSet[secret]
}
