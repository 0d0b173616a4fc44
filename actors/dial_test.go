package actors

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLibVersion(t *testing.T) {
	for in, want := range map[string]string{
		"v1.4.0":                             "1.4.0",
		"v0.0.0-20261207120000-abcdef123456": "0.0.0-20261207120000-abcdef123456",
		"v1.2.3+dirty":                       "1.2.3+dirty",
		"(devel)":                            devVersion,
		"":                                   devVersion,
		"v1 2":                               devVersion, // Redis refuses spaces
		"v1\n2":                              devVersion,
	} {
		assert.Equal(t, want, libVersion(in), "%q", in)
	}
	v := LibVersion()
	assert.Equal(t, libVersion("v"+v), v, "what the build records, cleaned")
	assert.NotContains(t, LibName, " ")
}
