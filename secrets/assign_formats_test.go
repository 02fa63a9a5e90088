package secrets

import (
	"strings"
	"testing"
)

// The secrets of these samples are made up for the tests; none is a real
// credential.
const (
	fmtPass   = "Vq7#kP2!zR9$wL4x"         // a password with URL- and shell-special punctuation; soakkit:allow: fixture
	fmtSecret = "q8Zk2LmP0vN7xR4tW9yBc3Df" // a random API secret; soakkit:allow: fixture
)

// TestConnectionStrings checks the password of a connection URI of every
// common scheme, with an empty user and with punctuation in the password.
func TestConnectionStrings(t *testing.T) {
	tests := []struct {
		give   string
		rule   string
		secret string
	}{
		{"DATABASE_URL=postgres://app:Hx8vQ2mZ7pLk@db.internal:5432/app", "database-uri-password", "Hx8vQ2mZ7pLk"},                            // soakkit:allow: fixture
		{"url: postgresql://app:Hx8vQ2mZ7pLk@db.internal/app?sslmode=require", "database-uri-password", "Hx8vQ2mZ7pLk"},                       // soakkit:allow: fixture
		{`dsn = "mysql://root:Hx8vQ2mZ7pLk@tcp(mysql:3306)/app"`, "database-uri-password", "Hx8vQ2mZ7pLk"},                                    // soakkit:allow: fixture
		{"mariadb://svc:Hx8vQ2mZ7pLk@maria-1.prod:3306/shop", "database-uri-password", "Hx8vQ2mZ7pLk"},                                        // soakkit:allow: fixture
		{"MONGO_URI=mongodb://admin:Hx8vQ2mZ7pLk@mongo-0.mongo,mongo-1.mongo:27017/?replicaSet=rs0", "database-uri-password", "Hx8vQ2mZ7pLk"}, // soakkit:allow: fixture
		{`uri: "mongodb+srv://svc:Hx8vQ2mZ7pLk@cluster0.ab1cd.mongodb.net/prod?retryWrites=true"`, "database-uri-password", "Hx8vQ2mZ7pLk"},   // soakkit:allow: fixture
		{"REDIS_URL=redis://:Hx8vQ2mZ7pLk@cache.internal:6379/0", "database-uri-password", "Hx8vQ2mZ7pLk"},                                    // soakkit:allow: fixture
		{"REDIS_URL=rediss://default:Hx8vQ2mZ7pLk@redis-12345.c1.cloud.redislabs.com:12345", "database-uri-password", "Hx8vQ2mZ7pLk"},         // soakkit:allow: fixture
		{"AMQP_URL=amqp://guest:Hx8vQ2mZ7pLk@rabbit.internal:5672/vhost", "database-uri-password", "Hx8vQ2mZ7pLk"},                            // soakkit:allow: fixture
		{"amqps://worker:Hx8vQ2mZ7pLk@b-1234.mq.eu-west-1.amazonaws.com:5671", "database-uri-password", "Hx8vQ2mZ7pLk"},                       // soakkit:allow: fixture
		{"mssql://sa:Hx8vQ2mZ7pLk@sql.internal:1433/orders", "database-uri-password", "Hx8vQ2mZ7pLk"},                                         // soakkit:allow: fixture
		{"sqlserver://sa:Hx8vQ2mZ7pLk@sql.internal:1433?database=orders", "database-uri-password", "Hx8vQ2mZ7pLk"},                            // soakkit:allow: fixture
		{"jdbc:postgresql://app:Hx8vQ2mZ7pLk@db.internal:5432/app", "database-uri-password", "Hx8vQ2mZ7pLk"},                                  // soakkit:allow: fixture
		{"spring.datasource.url=jdbc:mysql://app:Hx8vQ2mZ7pLk@db.internal:3306/app", "database-uri-password", "Hx8vQ2mZ7pLk"},                 // soakkit:allow: fixture
		{"jdbc:mariadb://app:Hx8vQ2mZ7pLk@db.internal:3306/app", "database-uri-password", "Hx8vQ2mZ7pLk"},                                     // soakkit:allow: fixture
		{"jdbc:oracle:thin:scott/Hx8vQ2mZ7pLk@//ora.internal:1521/ORCL", "database-uri-password", "Hx8vQ2mZ7pLk"},                             // soakkit:allow: fixture
		{"ldap://cn=admin,dc=acme,dc=io:Hx8vQ2mZ7pLk@ldap.internal:389", "uri-basic-auth", "Hx8vQ2mZ7pLk"},                                    // soakkit:allow: fixture
		{"ldaps://binduser:Hx8vQ2mZ7pLk@ldap.internal:636", "uri-basic-auth", "Hx8vQ2mZ7pLk"},                                                 // soakkit:allow: fixture
		{"ftp://deploy:Hx8vQ2mZ7pLk@files.internal/uploads", "uri-basic-auth", "Hx8vQ2mZ7pLk"},                                                // soakkit:allow: fixture
		{"smtp://mailer:Hx8vQ2mZ7pLk@smtp.mailgun.org:587", "uri-basic-auth", "Hx8vQ2mZ7pLk"},                                                 // soakkit:allow: fixture
		{"smtps://mailer:Hx8vQ2mZ7pLk@smtp.internal:465", "uri-basic-auth", "Hx8vQ2mZ7pLk"},                                                   // soakkit:allow: fixture
		{"https://deploy:Hx8vQ2mZ7pLk@git.internal#readme", "uri-basic-auth", "Hx8vQ2mZ7pLk"},                                                 // soakkit:allow: fixture
		// URL-legal punctuation and raw characters people leave unencoded.
		{"postgres://app:p%40ss%23w0rd!x@db.internal/app", "database-uri-password", "p%40ss%23w0rd!x"}, // soakkit:allow: fixture
		{"postgres://app:Ab3$&'()*+,;=x@db.internal/app", "database-uri-password", "Ab3$&'()*+,;=x"},   // soakkit:allow: fixture
		{"redis://:p@ssw0rd#42@cache.internal:6379", "database-uri-password", "p@ssw0rd#42"},           // soakkit:allow: fixture
		{"postgres://app:ab/cd+ef==@db.internal:5432/app", "database-uri-password", "ab/cd+ef=="},      // soakkit:allow: fixture
		{"mysql://app:Hx8v~Q2.m_Z-7@db.internal/app", "database-uri-password", "Hx8v~Q2.m_Z-7"},        // soakkit:allow: fixture
		{"mongodb://app:Hx8vQ2mZ7pLk@[::1]:27017/app", "database-uri-password", "Hx8vQ2mZ7pLk"},        // soakkit:allow: fixture
		// Passwords as query or key=value parameters.
		{"jdbc:mysql://db.internal:3306/app?user=app&password=Hx8vQ2mZ7pLk", "generic-password", "Hx8vQ2mZ7pLk"},                             // soakkit:allow: fixture
		{"jdbc:sqlserver://sql.internal:1433;databaseName=orders;user=sa;password=Hx8vQ2mZ7pLk;", "generic-password", "Hx8vQ2mZ7pLk"},        // soakkit:allow: fixture
		{`"Server=tcp:sql.internal,1433;Database=orders;User ID=sa;Password=Hx8vQ2mZ7pLk;Encrypt=True"`, "generic-password", "Hx8vQ2mZ7pLk"}, // soakkit:allow: fixture
		{"host=db.internal port=5432 user=app password=Hx8vQ2mZ7pLk dbname=app", "generic-password", "Hx8vQ2mZ7pLk"},                         // soakkit:allow: fixture
	}
	for _, tt := range tests {
		fs := ScanString(tt.give + "\n")
		ok := false
		for _, f := range fs {
			if f.RuleID == tt.rule && f.Secret == tt.secret {
				ok = true
			}
		}
		if !ok {
			t.Errorf("ScanString(%q) = %v, want %s with secret %q", tt.give, fs, tt.rule, tt.secret)
		}
	}
}

// TestConnectionStringDecoys lists URIs without a secret.
func TestConnectionStringDecoys(t *testing.T) {
	for _, s := range []string{
		"postgres://app@db.internal:5432/app",
		"redis://cache.internal:6379/0",
		"postgres://app:${DB_PASSWORD}@db.internal/app",
		"mysql://user:password@localhost/db",
		"mongodb://<user>:<password>@host:27017",
		"https://github.com/acme/app/blob/main/README.md",
		"http://localhost:8080/path?a=b@c",
		"jdbc:postgresql://db.internal:5432/app?user=app",
		"see https://docs.acme.io/x:y@z for details",
	} {
		if fs := ScanString(s + "\n"); len(fs) > 0 {
			t.Errorf("ScanString(%q) = %v, want nothing", s, fs)
		}
	}
}

// TestAssignmentFormats checks a password and an API secret assigned in
// every common configuration and source format.
func TestAssignmentFormats(t *testing.T) {
	tests := []struct {
		name, give, secret string
	}{
		{"xml-element", "<password>" + fmtPass + "</password>", fmtPass},
		{"xml-attribute", `<datasource user="app" password="` + fmtPass + `" />`, fmtPass},
		{"xml-key-value", `<add key="ClearTextPassword" value="` + fmtPass + `" />`, fmtPass},
		{"xml-name-value", `<property name="db.password" value="` + fmtPass + `"/>`, fmtPass},
		{"xml-entry", `<entry key="api_secret">` + fmtSecret + `</entry>`, fmtSecret},
		{"yaml", "  password: " + fmtPass, fmtPass},
		{"yaml-quoted", `  password: "` + fmtPass + `"`, fmtPass},
		{"yaml-block", "  password: |\n    " + fmtPass + "\n  user: app", fmtPass},
		{"yaml-folded", "  client_secret: >-\n    " + fmtSecret + "\n", fmtSecret},
		{"yaml-list-item", "  - password: " + fmtPass, fmtPass},
		{"hcl", `  password = "` + fmtPass + `"`, fmtPass},
		{"hcl-map", `  db = { password = "` + fmtPass + `" }`, fmtPass},
		{"ruby-hash-rocket", `  :password => "` + fmtPass + `",`, fmtPass},
		{"ruby-string-rocket", `  "password" => "` + fmtPass + `",`, fmtPass},
		{"ruby-symbol-key", `  password: "` + fmtPass + `",`, fmtPass},
		{"properties", "db.password=" + fmtPass, fmtPass},
		{"properties-colon", "db.password: " + fmtPass, fmtPass},
		{"properties-space", "db.password " + fmtPass, fmtPass},
		{"dotenv", "DB_PASSWORD=" + fmtPass, fmtPass},
		{"dotenv-quoted", `DB_PASSWORD='` + fmtPass + `'`, fmtPass},
		{"ini", "password = " + fmtPass, fmtPass},
		{"json", `{"password": "` + fmtPass + `"}`, fmtPass},
		{"toml", `password = "` + fmtPass + `"`, fmtPass},
		{"shell-export", `export DB_PASSWORD="` + fmtPass + `"`, fmtPass},
		{"dockerfile-env", "ENV DB_PASSWORD=" + fmtSecret, fmtSecret},
		{"dockerfile-env-space", "ENV DB_PASSWORD " + fmtSecret, fmtSecret},
		{"dockerfile-arg", "ARG API_SECRET=" + fmtSecret, fmtSecret},
		{"k8s-secret-data", "kind: Secret\ndata:\n  password: " + stdB64(fmtPass), stdB64(fmtPass)},
		{"k8s-secret-data-secret", "kind: Secret\ndata:\n  api_secret: " + stdB64(fmtSecret), stdB64(fmtSecret)},
		{"k8s-string-data", "kind: Secret\nstringData:\n  password: " + fmtPass, fmtPass},
		{"xml-element-multiline", "<password>\n    " + fmtPass + "\n</password>", fmtPass},
		{"xml-element-multiline-crlf", "<apiSecret>\r\n\t" + fmtSecret + "  \r\n</apiSecret>", fmtSecret},
		{"php-concat", `$apiSecret .= "` + fmtSecret + `";`, fmtSecret},
		{"make-colon-colon", `API_SECRET ::= ` + fmtSecret, fmtSecret},
		{"make-three-colons", `API_SECRET :::= "` + fmtSecret + `"`, fmtSecret},
		{"go-typed-var", `var apiSecret string = "` + fmtSecret + `"`, fmtSecret},
		{"go-typed-const", `	const dbPassword string = "` + fmtPass + `"`, fmtPass},
		{"kotlin-typed-val", `private val apiSecret: String = "` + fmtSecret + `"`, fmtSecret},
		{"ts-typed-const", `export const dbPassword: string = '` + fmtPass + `';`, fmtPass},
		{"java-set-property", `System.setProperty("API_SECRET", "` + fmtSecret + `");`, fmtSecret},
		{"go-setenv", `os.Setenv("DB_PASSWORD", "` + fmtPass + `")`, fmtPass},
		{"php-define", `define('DB_PASSWORD', '` + fmtPass + `');`, fmtPass},
		{"numbered-key", `api_token_2 = "` + fmtSecret + `"`, fmtSecret},
		{"numbered-password", `DB_PASSWORD1=` + fmtPass, fmtPass},
		{"type-suffix-key", `mySecretString=` + fmtSecret, fmtSecret},
		{"type-suffix-key-snake", `db_password_value: "` + fmtPass + `"`, fmtPass},
		{"dotted-random-value", `token: s.` + fmtSecret, "s." + fmtSecret},
		{"creds", "creds = " + fmtSecret, fmtSecret},
	}
	for _, tt := range tests {
		fs := ScanString(tt.give + "\n")
		ok := false
		for _, f := range fs {
			// A Secret manifest's data: values have a rule of their own.
			if (strings.HasPrefix(f.RuleID, "generic-") || f.RuleID == "kubernetes-secret-yaml") && f.Secret == tt.secret {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: ScanString(%q) = %v, want a finding of %q", tt.name, tt.give, fs, tt.secret)
		}
	}
}

// TestAssignmentFormatDecoys lists assignments in the same formats whose
// values are not secrets.
func TestAssignmentFormatDecoys(t *testing.T) {
	for _, s := range []string{
		`<add key="PasswordMinLength" value="12" />`,
		`<property name="password.policy" value="strict"/>`,
		"  password: |\n    {{ .Values.password }}\n",
		"  password: >\n\n",
		"ENV PASSWORD_FILE /run/secrets/db",
		"ARG VERSION=1.2.3",
		"kind: Secret\ndata:\n  password: " + stdB64("changeme"),
		"kind: ConfigMap\ndata:\n  token_url: https://auth.internal/token",
		"  :password => params[:password],",
		"db.password ${DB_PASSWORD}",
		"The password is required",
		`const jsFetchCreds = "js.fetch:credentials"`,
		"<password>\n\n\n</password>",
		"<password>\n    {{ .Values.password }}\n</password>",
		`var apiSecret string`,
		`var apiSecret = getSecret()`,
		`val dbPassword: String? = null`,
		`token: self.accessTokenFromEnvironment`,
		`tokenString, err := token.SignedString(signingKey)`,
		`	src := "val dbPassword: String? = null"`, // the declaration quoted in a string
		`fun login(password: String?, token: ByteArray)`,
		`fun connect(password: Secret, retries: Int): Session`,
		`override fun onToken(apiSecret: Map<String, String>?) {`,
		`if apiSecret == "q8Zk2LmP0vN7xR4tW9yBc3Df" {`,
		`fmt.Println("api_secret", "is not set: check the environment")`,
		`log.Printf("password", dbPassword)`,
		`t.Run("password", func(t *testing.T) {`,
		`m := map[string]string{"password", "q8Zk2LmP0vN7xR4tW9yBc3Df"}`,
		`api_secret ::= $(shell cat secret.txt)`,
	} {
		if fs := ScanString(s + "\n"); len(fs) > 0 {
			t.Errorf("ScanString(%q) = %v, want nothing", s, fs)
		}
	}
}

// FuzzAssignFormats checks that the assignment lexer and the URI matchers
// never panic and return offsets inside the input, with the key around
// the keyword and the value after the key.
func FuzzAssignFormats(f *testing.F) {
	for _, s := range []string{
		"  password: |\n    " + fmtPass + "\n",
		`<add key="ClearTextPassword" value="` + fmtPass + `" />`,
		`<entry key="api_secret">` + fmtSecret + `</entry>`,
		"ENV DB_PASSWORD " + fmtSecret,
		"db.password " + fmtPass,
		`  :password => "` + fmtPass + `",`,
		"redis://:p@ss#1@cache.internal:6379", // soakkit:allow: fixture
		"jdbc:oracle:thin:scott/" + fmtPass + "@//ora:1521/X",
		"mongodb://u:p@[::1",
		"password: >-\n",
		"curl -u a:b\\\n -H 'Authorization: Basic Zm9vOmJhcg==' x", // soakkit:allow: fixture
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		lower := string(lowerASCII(nil, b)) // same offsets as b
		for _, kw := range []string{"password", "secret", "://", "jdbc:oracle:thin:", "curl"} {
			i := strings.Index(lower, kw)
			if i < 0 {
				continue
			}
			j := i + len(kw)
			if a, ok := lexAssign(b, i, j); ok {
				if a.kStart > i || a.kEnd < j || a.vStart < a.kEnd || a.vEnd < a.vStart || a.vEnd > len(b) {
					t.Errorf("lexAssign(%q) = %+v: offsets out of order", s, a)
				}
			}
			for _, m := range []matcher{matchURI(true), matchURI(false), matchCurl(true), matchCurl(false)} {
				if sp, ok := m(b, i, j); ok {
					if sp.start < 0 || sp.end > len(b) || sp.sStart < sp.start || sp.sEnd > sp.end || sp.sStart >= sp.sEnd {
						t.Errorf("matcher at %q in %q = %+v: offsets out of range", kw, s, sp)
					}
				}
			}
		}
	})
}
