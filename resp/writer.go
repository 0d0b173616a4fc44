package resp

import (
	"encoding"
	"math"
	"reflect"
	"strconv"
	"time"
)

// The encoder appends to a caller-owned buffer and never allocates on its
// own (beyond growing dst). A command is an array of bulk strings.

// AppendArrayHeader appends "*n\r\n".
func AppendArrayHeader(dst []byte, n int) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(n), 10)
	return append(dst, '\r', '\n')
}

// AppendBulkString appends s as a bulk string.
func AppendBulkString(dst []byte, s string) []byte {
	dst = append(dst, '$')
	dst = strconv.AppendInt(dst, int64(len(s)), 10)
	dst = append(dst, '\r', '\n')
	dst = append(dst, s...)
	return append(dst, '\r', '\n')
}

// AppendBulk appends b as a bulk string.
func AppendBulk(dst []byte, b []byte) []byte {
	dst = append(dst, '$')
	dst = strconv.AppendInt(dst, int64(len(b)), 10)
	dst = append(dst, '\r', '\n')
	dst = append(dst, b...)
	return append(dst, '\r', '\n')
}

// AppendBulkInt appends the decimal form of i as a bulk string.
func AppendBulkInt(dst []byte, i int64) []byte {
	var tmp [20]byte
	return AppendBulk(dst, strconv.AppendInt(tmp[:0], i, 10))
}

// AppendBulkUint appends the decimal form of u as a bulk string.
func AppendBulkUint(dst []byte, u uint64) []byte {
	var tmp [20]byte
	return AppendBulk(dst, strconv.AppendUint(tmp[:0], u, 10))
}

// AppendBulkFloat appends f as a bulk string in the shortest form that
// round-trips; infinities are written as "+inf" and "-inf" as Redis expects.
func AppendBulkFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return AppendBulkString(dst, "+inf")
	case math.IsInf(f, -1):
		return AppendBulkString(dst, "-inf")
	}
	var tmp [32]byte
	return AppendBulk(dst, strconv.AppendFloat(tmp[:0], f, 'f', -1, 64))
}

// AppendArg appends one command argument of any accepted type as a bulk
// string. Accepted: string, []byte, every integer and float kind, bool
// (1 or 0), time.Duration (whole milliseconds), time.Time (Unix seconds),
// nil (empty string) and encoding.BinaryMarshaler. Any other type returns
// dst unchanged and an *ArgError naming the type; index is reported in it.
func AppendArg(dst []byte, index int, arg any) ([]byte, error) {
	switch v := arg.(type) {
	case string:
		return AppendBulkString(dst, v), nil
	case []byte:
		return AppendBulk(dst, v), nil
	case int:
		return AppendBulkInt(dst, int64(v)), nil
	case int8:
		return AppendBulkInt(dst, int64(v)), nil
	case int16:
		return AppendBulkInt(dst, int64(v)), nil
	case int32:
		return AppendBulkInt(dst, int64(v)), nil
	case int64:
		return AppendBulkInt(dst, v), nil
	case uint:
		return AppendBulkUint(dst, uint64(v)), nil
	case uint8:
		return AppendBulkUint(dst, uint64(v)), nil
	case uint16:
		return AppendBulkUint(dst, uint64(v)), nil
	case uint32:
		return AppendBulkUint(dst, uint64(v)), nil
	case uint64:
		return AppendBulkUint(dst, v), nil
	case float32:
		return AppendBulkFloat(dst, float64(v)), nil
	case float64:
		return AppendBulkFloat(dst, v), nil
	case bool:
		if v {
			return AppendBulkString(dst, "1"), nil
		}
		return AppendBulkString(dst, "0"), nil
	case time.Duration:
		return AppendBulkInt(dst, v.Milliseconds()), nil
	case time.Time:
		return AppendBulkInt(dst, v.Unix()), nil
	case nil:
		return AppendBulkString(dst, ""), nil
	case encoding.BinaryMarshaler:
		b, err := v.MarshalBinary()
		if err != nil {
			return dst, err
		}
		return AppendBulk(dst, b), nil
	}
	return appendNamed(dst, index, arg)
}

// appendNamed accepts named types over the basic kinds (type ID string,
// type Score float64, ...), off the hot path: only what the type switch
// of AppendArg did not take gets here.
func appendNamed(dst []byte, index int, arg any) ([]byte, error) {
	rv := reflect.ValueOf(arg)
	switch rv.Kind() {
	case reflect.String:
		return AppendBulkString(dst, rv.String()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return AppendBulkInt(dst, rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return AppendBulkUint(dst, rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return AppendBulkFloat(dst, rv.Float()), nil
	case reflect.Bool:
		if rv.Bool() {
			return AppendBulkString(dst, "1"), nil
		}
		return AppendBulkString(dst, "0"), nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return AppendBulk(dst, rv.Bytes()), nil
		}
	}
	return dst, &ArgError{Index: index, Type: reflect.TypeOf(arg).String()}
}

// AppendCommand appends a whole command (array header and every argument).
// On an unsupported argument it returns dst unchanged and the error, so
// nothing partial is ever written.
func AppendCommand(dst []byte, args ...any) ([]byte, error) {
	start := len(dst)
	dst = AppendArrayHeader(dst, len(args))
	for i, a := range args {
		var err error
		if dst, err = AppendArg(dst, i, a); err != nil {
			return dst[:start], err
		}
	}
	return dst, nil
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// AppendValue appends v in its RESP3 wire form, its attribute (Attrs)
// first. It is meant for fake servers and tests and trusts v: a double is
// written from Float (inf, -inf, nan or the shortest decimal form that
// round-trips), a big number from Str as is, a verbatim string as Format
// (which must be three bytes; "txt" otherwise) and Str. A simple string or
// error whose Str holds CR or LF, which the simple form cannot carry, is
// written as a bulk string or bulk error. A map with an odd number of Elems
// gets a null for its missing last value. The zero Value is written as
// null.
func AppendValue(dst []byte, v Value) []byte {
	if v.Attrs != nil {
		dst = appendHeader(dst, '|', (len(v.Attrs.Elems)+1)/2)
		dst = appendPairs(dst, v.Attrs.Elems, AppendValue)
	}
	switch v.Kind {
	case KindSimpleString:
		if hasCRLF(v.Str) {
			return AppendBulkString(dst, v.Str)
		}
		return appendLine(dst, '+', v.Str)
	case KindError:
		if hasCRLF(v.Str) {
			return appendBulkTyped(dst, '!', v.Str)
		}
		return appendLine(dst, '-', v.Str)
	case KindInteger:
		dst = append(dst, ':')
		dst = strconv.AppendInt(dst, v.Int, 10)
		return append(dst, '\r', '\n')
	case KindBulkString:
		return AppendBulkString(dst, v.Str)
	case KindBulkError:
		return appendBulkTyped(dst, '!', v.Str)
	case KindVerbatimString:
		format := v.Format()
		if len(format) != 3 {
			format = "txt"
		}
		dst = appendHeader(dst, '=', 4+len(v.Str))
		dst = append(dst, format...)
		dst = append(dst, ':')
		dst = append(dst, v.Str...)
		return append(dst, '\r', '\n')
	case KindDouble:
		dst = append(dst, ',')
		dst = appendDouble(dst, v.Float())
		return append(dst, '\r', '\n')
	case KindBigNumber:
		return appendLine(dst, '(', v.Str)
	case KindBoolean:
		if v.Int != 0 {
			return append(dst, "#t\r\n"...)
		}
		return append(dst, "#f\r\n"...)
	case KindArray, KindSet, KindPush:
		dst = appendHeader(dst, aggregateByte(v.Kind), len(v.Elems))
		for _, e := range v.Elems {
			dst = AppendValue(dst, e)
		}
		return dst
	case KindMap:
		dst = appendHeader(dst, '%', (len(v.Elems)+1)/2)
		return appendPairs(dst, v.Elems, AppendValue)
	}
	return append(dst, "_\r\n"...)
}

// AppendValue2 appends v in its RESP2 wire form, the way Redis answers a
// RESP2 client: a map becomes a flat array of keys and values, a set or
// push an array, null $-1, a double a bulk string (inf, -inf, nan or the
// shortest decimal form), a boolean the integer 1 or 0, a verbatim string
// or big number a bulk string, a bulk error a simple error (CR and LF
// replaced by spaces, as Redis does). RESP2 has no attributes: Attrs is
// dropped. A simple string holding CR or LF is written as a bulk string.
func AppendValue2(dst []byte, v Value) []byte {
	switch v.Kind {
	case KindSimpleString:
		if hasCRLF(v.Str) {
			return AppendBulkString(dst, v.Str)
		}
		return appendLine(dst, '+', v.Str)
	case KindError, KindBulkError:
		dst = append(dst, '-')
		for i := 0; i < len(v.Str); i++ {
			c := v.Str[i]
			if c == '\r' || c == '\n' {
				c = ' '
			}
			dst = append(dst, c)
		}
		return append(dst, '\r', '\n')
	case KindInteger, KindBoolean:
		dst = append(dst, ':')
		n := v.Int
		if v.Kind == KindBoolean && n != 0 {
			n = 1
		}
		dst = strconv.AppendInt(dst, n, 10)
		return append(dst, '\r', '\n')
	case KindBulkString, KindVerbatimString, KindBigNumber:
		return AppendBulkString(dst, v.Str)
	case KindDouble:
		var tmp [32]byte
		return AppendBulk(dst, appendDouble(tmp[:0], v.Float()))
	case KindArray, KindSet, KindPush:
		dst = AppendArrayHeader(dst, len(v.Elems))
		for _, e := range v.Elems {
			dst = AppendValue2(dst, e)
		}
		return dst
	case KindMap:
		dst = AppendArrayHeader(dst, len(v.Elems)+len(v.Elems)%2)
		return appendPairs(dst, v.Elems, AppendValue2)
	}
	return append(dst, "$-1\r\n"...)
}

// appendPairs appends the keys and values in elems, with a null for the
// value an odd-length elems lacks.
func appendPairs(dst []byte, elems []Value, appendOne func([]byte, Value) []byte) []byte {
	for _, e := range elems {
		dst = appendOne(dst, e)
	}
	if len(elems)%2 == 1 {
		dst = appendOne(dst, Value{Kind: KindNull})
	}
	return dst
}

func appendHeader(dst []byte, typ byte, n int) []byte {
	dst = append(dst, typ)
	dst = strconv.AppendInt(dst, int64(n), 10)
	return append(dst, '\r', '\n')
}

func appendLine(dst []byte, typ byte, s string) []byte {
	dst = append(dst, typ)
	dst = append(dst, s...)
	return append(dst, '\r', '\n')
}

func appendBulkTyped(dst []byte, typ byte, s string) []byte {
	dst = appendHeader(dst, typ, len(s))
	dst = append(dst, s...)
	return append(dst, '\r', '\n')
}

func aggregateByte(k Kind) byte {
	switch k {
	case KindSet:
		return '~'
	case KindPush:
		return '>'
	}
	return '*'
}

// appendDouble appends f as Redis writes doubles: inf, -inf, nan, or the
// shortest decimal form that parses back to f.
func appendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

func hasCRLF(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' || s[i] == '\n' {
			return true
		}
	}
	return false
}
