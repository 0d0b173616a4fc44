package client

import "strconv"

// The option enums (SortOrder, FlushMode, ExpireCondition, ...) are all
// written one way: a uint8 type, its constants and one tokens table. The
// table gives the type its String method (String() { return
// xxxTokens.name(v) }) and a command the token it sends
// (b.token(xxxTokens.of(v))); a value that is not a constant fails the
// command with "unknown <type>" before anything is sent.

// tokens is the table of the enum E.
type tokens[E ~uint8] struct {
	// typ is E's name, for String and the "unknown" error.
	typ string
	// zero names the zero value of an optional argument, whose token is
	// empty: it sends nothing ("default", "always"). When it is empty, a
	// zero value without a token is not a constant.
	zero string
	// list is the Redis token of each constant, indexed by value.
	list []string
}

// of returns the token of e, whether e is a constant, and E's name: the
// arguments of builder.token.
func (t *tokens[E]) of(e E) (tok string, ok bool, typ string) {
	if int(e) < len(t.list) {
		tok = t.list[e]
	}
	return tok, tok != "" || (e == 0 && t.zero != ""), t.typ
}

// name is E's String method: e's token, the name of the zero value, or
// "Type(n)" for a value that is not a constant.
func (t *tokens[E]) name(e E) string {
	switch tok, ok, _ := t.of(e); {
	case tok != "":
		return tok
	case ok:
		return t.zero
	}
	return t.typ + "(" + strconv.Itoa(int(e)) + ")"
}

// token appends the Redis token of an enum value, as a table's of returns
// it (b.token(sortTokens.of(o))): nothing for an empty token, and ok
// false fails the command with "unknown <what>". It is the only way a
// command writes an enum.
func (b *builder) token(tok string, ok bool, what string) *builder {
	if !ok {
		return b.fail("unknown " + what)
	}
	if tok != "" {
		b.str(tok)
	}
	return b
}
