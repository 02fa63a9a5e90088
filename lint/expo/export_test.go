package expo

import "github.com/soakkit/soakkit/lint/config"

// CheckFamiliesOf decodes data and lints it without line numbers, for
// comparing formats.
func CheckFamiliesOf(data []byte, f Format) ([]Finding, error) {
	mfs, err := Decode(data, f)
	if err != nil {
		return nil, err
	}
	return CheckFamilies(mfs, config.Default())
}
