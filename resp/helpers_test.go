package resp

import "math"

// equalValues compares two Values, treating nil and empty Elems alike and
// every NaN as equal. With ignoreDoubleText it skips the wire text (Str) of
// doubles, which an encoder may write differently.
func equalValues(a, b Value, ignoreDoubleText bool) bool {
	if a.Kind != b.Kind || len(a.Elems) != len(b.Elems) {
		return false
	}
	if a.Int != b.Int && a.Kind != KindDouble {
		return false
	}
	if a.Str != b.Str && !(ignoreDoubleText && a.Kind == KindDouble) {
		return false
	}
	if fa, fb := a.Float(), b.Float(); math.Float64bits(fa) != math.Float64bits(fb) && !(math.IsNaN(fa) && math.IsNaN(fb)) {
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
