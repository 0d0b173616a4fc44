package resp

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVerbatimKeepsItsFormat(t *testing.T) {
	for _, format := range []string{"txt", "mkd", "", "x", "1234567"} {
		v := Verbatim(format, "text")
		assert.Equal(t, KindVerbatimString, v.Kind)
		assert.Equal(t, format, v.Format(), "format %q", format)
		assert.Equal(t, "text", v.Str)
	}
	assert.Equal(t, "", Verbatim("12345678", "t").Format(), "longer than 7 bytes is not kept")
	assert.Equal(t, "", Value{Kind: KindBulkString, Int: 0x747874_03}.Format(), "only verbatim strings have a format")
}

func TestDoubleKeepsItsNumber(t *testing.T) {
	for _, f := range []float64{0, -0.5, 1e300, math.Inf(1), math.Inf(-1), math.SmallestNonzeroFloat64} {
		v := Double(f, "text")
		assert.Equal(t, KindDouble, v.Kind)
		assert.Equal(t, math.Float64bits(f), math.Float64bits(v.Float()))
	}
	assert.True(t, math.IsNaN(Double(math.NaN(), "nan").Float()))
	assert.Equal(t, 0.0, Value{Kind: KindInteger, Int: 42}.Float(), "only doubles have a Float")
}
