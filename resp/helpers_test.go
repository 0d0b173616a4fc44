package resp

import "math"

// equalValues compares two Values, treating nil and empty Elems alike and
// every NaN as equal. With ignoreDoubleText it skips the wire text (Str) of
// doubles, which an encoder may write differently.
func equalValues(a, b Value, ignoreDoubleText bool) bool {
	if a.Kind != b.Kind || a.Format != b.Format || a.Int != b.Int || len(a.Elems) != len(b.Elems) {
		return false
	}
	if a.Str != b.Str && !(ignoreDoubleText && a.Kind == KindDouble) {
		return false
	}
	if math.Float64bits(a.Float) != math.Float64bits(b.Float) && !(math.IsNaN(a.Float) && math.IsNaN(b.Float)) {
		return false
	}
	for i := range a.Elems {
		if !equalValues(a.Elems[i], b.Elems[i], ignoreDoubleText) {
			return false
		}
	}
	if (a.Attrs == nil) != (b.Attrs == nil) {
		return false
	}
	return a.Attrs == nil || equalValues(*a.Attrs, *b.Attrs, ignoreDoubleText)
}
