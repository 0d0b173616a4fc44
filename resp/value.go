// Package resp is the RESP2/RESP3 codec of actoredis: an append-style
// encoder for commands and a bounded, iterative-safe decoder for every reply
// type. It imports nothing but the standard library.
package resp

import "math"

// Kind is the type tag of a decoded Value: the RESP type byte it came from.
type Kind uint8

// The kinds of Value. RESP2 null bulk strings ($-1) and null arrays (*-1)
// decode as KindNull, like RESP3's _.
const (
	KindInvalid        Kind = iota // the zero Value
	KindSimpleString               // +
	KindError                      // -
	KindInteger                    // :
	KindBulkString                 // $
	KindArray                      // *
	KindNull                       // _ (and RESP2 $-1, *-1)
	KindMap                        // %
	KindSet                        // ~
	KindDouble                     // ,
	KindBigNumber                  // (
	KindBoolean                    // #
	KindVerbatimString             // =
	KindBulkError                  // !
	KindPush                       // >
)

var kindNames = [...]string{
	KindInvalid:        "invalid",
	KindSimpleString:   "simple-string",
	KindError:          "error",
	KindInteger:        "integer",
	KindBulkString:     "bulk-string",
	KindArray:          "array",
	KindNull:           "null",
	KindMap:            "map",
	KindSet:            "set",
	KindDouble:         "double",
	KindBigNumber:      "big-number",
	KindBoolean:        "boolean",
	KindVerbatimString: "verbatim-string",
	KindBulkError:      "bulk-error",
	KindPush:           "push",
}

// String returns the kind's name, for example "bulk-string".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + itoa(int64(k)) + ")"
}

// Value is one decoded RESP value. Which fields are meaningful depends on
// Kind:
//
//	KindSimpleString, KindBulkString, KindError, KindBulkError: Str
//	KindVerbatimString: Str (the text); the format ("txt", "mkd") is
//	  Format(), kept in Int's bits
//	KindBigNumber: Str (the decimal digits, with an optional leading '-')
//	KindInteger: Int; KindBoolean: Int is 1 or 0
//	KindDouble: Float() (kept in Int's bits; Str holds the wire text,
//	  e.g. "inf")
//	KindArray, KindSet, KindPush: Elems
//	KindMap: Elems holds keys and values alternately (k0, v0, k1, v1, ...)
//
// Attrs, when not nil, holds the RESP3 attribute map (|) that preceded the
// value on the wire, as a Value of Kind KindMap. Build doubles and
// verbatim strings with Double and Verbatim. A Value is 64 bytes: every
// command's future holds one, so a rarely used kind gets no field of its
// own.
type Value struct {
	Kind  Kind
	Str   string
	Int   int64
	Elems []Value
	Attrs *Value
}

// Double returns the double f (KindDouble) with its wire text (which may
// be empty: the encoder then writes f in its shortest form).
func Double(f float64, text string) Value {
	return Value{Kind: KindDouble, Int: int64(math.Float64bits(f)), Str: text}
}

// Verbatim returns the verbatim string text with its format, three
// characters such as "txt" or "mkd" (the encoder writes "txt" for any
// other length; at most 7 bytes are kept).
func Verbatim(format, text string) Value {
	var packed int64
	if n := len(format); n <= 7 {
		for i := n - 1; i >= 0; i-- {
			packed = packed<<8 | int64(format[i])
		}
		packed = packed<<8 | int64(n)
	}
	return Value{Kind: KindVerbatimString, Int: packed, Str: text}
}

// Float returns the number of a double (KindDouble), else 0.
func (v Value) Float() float64 {
	if v.Kind != KindDouble {
		return 0
	}
	return math.Float64frombits(uint64(v.Int))
}

// Format returns the format of a verbatim string (KindVerbatimString),
// for example "txt", else "".
func (v Value) Format() string {
	if v.Kind != KindVerbatimString {
		return ""
	}
	n := int(v.Int & 0xff)
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(v.Int >> (8 * (i + 1)))
	}
	return string(b)
}

// IsNull reports whether v is a null reply (RESP3 _, RESP2 $-1 or *-1).
func (v Value) IsNull() bool { return v.Kind == KindNull }

// IsError reports whether v is a server error reply (- or !).
func (v Value) IsError() bool { return v.Kind == KindError || v.Kind == KindBulkError }

// Err returns the server error v carries as *Error, or nil when v is not an
// error reply.
func (v Value) Err() error {
	if v.IsError() {
		return &Error{Message: v.Str}
	}
	return nil
}
