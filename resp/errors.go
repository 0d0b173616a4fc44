package resp

import (
	"errors"
	"strings"
)

// Error is an error reply sent by the server (RESP - or !). Its Message is
// the server's text, for example "WRONGTYPE Operation against a key holding
// the wrong kind of value".
type Error struct {
	Message string
}

// Error returns the server's message behind the module prefix.
func (e *Error) Error() string { return "actoredis: " + e.Message }

// Prefix returns the first word of the server's message: "ERR",
// "WRONGTYPE", "MOVED", "NOSCRIPT", ...
func (e *Error) Prefix() string {
	if i := strings.IndexByte(e.Message, ' '); i >= 0 {
		return e.Message[:i]
	}
	return e.Message
}

// ErrNil is returned by conversions of a null reply to a value that cannot
// be null.
var ErrNil = errors.New("actoredis: nil reply")

// ErrProtocol is matched (errors.Is) by every *ProtocolError.
var ErrProtocol = errors.New("actoredis: protocol error")

// ProtocolError reports bytes from the server that break RESP or a decoder
// limit. A connection that produced one is out of sync and must be closed.
type ProtocolError struct {
	Reason string
}

func (e *ProtocolError) Error() string { return "actoredis: protocol error: " + e.Reason }

// Is makes errors.Is(err, ErrProtocol) hold.
func (e *ProtocolError) Is(target error) bool { return target == ErrProtocol }

// ErrUnsupportedArg is matched (errors.Is) by every *ArgError.
var ErrUnsupportedArg = errors.New("actoredis: unsupported argument type")

// ArgError reports a command argument of a type the encoder does not accept.
type ArgError struct {
	Index int    // position of the argument in the command
	Type  string // the Go type that was refused
}

func (e *ArgError) Error() string {
	return "actoredis: argument " + itoa(int64(e.Index)) + " has unsupported type " + e.Type
}

// Is makes errors.Is(err, ErrUnsupportedArg) hold.
func (e *ArgError) Is(target error) bool { return target == ErrUnsupportedArg }

// ErrUnexpectedType is matched (errors.Is) by every *TypeError.
var ErrUnexpectedType = errors.New("actoredis: unexpected reply type")

// TypeError reports a reply that cannot convert to the Go type asked for:
// a reply of the wrong kind, or text that is not a number.
type TypeError struct {
	Kind Kind   // the kind of the reply
	Want string // the Go type asked for, for example "int64"
}

func (e *TypeError) Error() string {
	return "actoredis: cannot convert " + e.Kind.String() + " reply to " + e.Want
}

// Is makes errors.Is(err, ErrUnexpectedType) hold.
func (e *TypeError) Is(target error) bool { return target == ErrUnexpectedType }
