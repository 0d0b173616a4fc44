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
