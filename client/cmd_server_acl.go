package client

import "context"

// The ACL commands of the server group (ACL CAT, ACL SETUSER, ...: each
// subcommand joined to its container). The result types are in
// reply_server_acl.go.

// ACLCat lists the ACL categories ("keyspace", "read", ...). Since Redis
// 6.0.0.
func (c cmds) ACLCat(ctx context.Context) *Future[[]string] {
	return c.ACLCatWith(ctx, ACLCatOptions{})
}

// ACLCatOptions are the optional argument of ACL CAT.
type ACLCatOptions struct {
	// Category lists the commands of this category instead of the
	// categories.
	Category string
}

// ACLCatWith sends ACL CAT [category]: the categories, or the commands of
// opts.Category. Since Redis 6.0.0.
func (c cmds) ACLCatWith(ctx context.Context, opts ACLCatOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "ACL CAT", ro, toStrings)
	f.b.strIf(opts.Category != "", opts.Category)
	return send(c.s, f)
}

// ACLDelUser deletes the ACL users named and returns how many existed.
// Since Redis 6.0.0.
func (c cmds) ACLDelUser(ctx context.Context, users ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "ACL DELUSER", idem, toInt64)
	if len(users) == 0 {
		f.b.fail("ACLDelUser needs at least one user")
	}
	for _, u := range users {
		f.b.str(u)
	}
	return send(c.s, f)
}

// ACLDryRun sends ACL DRYRUN user command args...: whether user may run
// the command, without running it. Since Redis 7.0.0.
func (c cmds) ACLDryRun(ctx context.Context, user, command string, args ...any) *Future[ACLDryRunResult] {
	f := newFuture(c.s, ctx, "ACL DRYRUN", ro, srvToDryRun)
	f.b.str(user).str(command)
	for _, a := range args {
		f.b.any(a)
	}
	return send(c.s, f)
}

// ACLGenPass returns a random password of 256 bits as 64 hex digits.
// Since Redis 6.0.0.
func (c cmds) ACLGenPass(ctx context.Context) *Future[string] {
	return c.ACLGenPassWith(ctx, ACLGenPassOptions{})
}

// ACLGenPassOptions are the optional argument of ACL GENPASS.
type ACLGenPassOptions struct {
	// Bits is the number of random bits (rounded up to a multiple of 4);
	// 0 leaves the server's 256.
	Bits int
}

// ACLGenPassWith sends ACL GENPASS [bits]. Since Redis 6.0.0.
func (c cmds) ACLGenPassWith(ctx context.Context, opts ACLGenPassOptions) *Future[string] {
	f := newFuture(c.s, ctx, "ACL GENPASS", ro, toString)
	if opts.Bits < 0 {
		f.b.fail("ACLGenPassOptions.Bits must not be negative")
	}
	if opts.Bits > 0 {
		f.b.int(int64(opts.Bits))
	}
	return send(c.s, f)
}

// ACLGetUser describes an ACL user; ErrNil when there is none. Since
// Redis 6.0.0.
func (c cmds) ACLGetUser(ctx context.Context, user string) *Future[ACLUser] {
	f := newFuture(c.s, ctx, "ACL GETUSER", ro, srvToACLUser)
	f.b.str(user)
	return send(c.s, f)
}

// ACLList returns every ACL user as an ACL rule line ("user default on
// nopass ~* &* +@all"). Since Redis 6.0.0.
func (c cmds) ACLList(ctx context.Context) *Future[[]string] {
	return send(c.s, newFuture(c.s, ctx, "ACL LIST", ro, toStrings))
}

// ACLLoad reloads the users from the server's ACL file and returns "OK".
// Since Redis 6.0.0.
func (c cmds) ACLLoad(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "ACL LOAD", idem, toStatus))
}

// ACLLog sends ACL LOG [count]: the latest security events, newest first;
// count 0 leaves the server's 10. Since Redis 6.0.0.
func (c cmds) ACLLog(ctx context.Context, count int64) *Future[[]ACLLogEntry] {
	f := newFuture(c.s, ctx, "ACL LOG", ro, srvToACLLog)
	if count < 0 {
		f.b.fail("ACLLog count must not be negative")
	}
	if count > 0 {
		f.b.int(count)
	}
	return send(c.s, f)
}

// ACLLogReset sends ACL LOG RESET: it clears the log and returns "OK".
// Since Redis 6.0.0.
func (c cmds) ACLLogReset(ctx context.Context) *Future[string] {
	f := newFuture(c.s, ctx, "ACL LOG", idem, toStatus)
	f.b.str("RESET")
	return send(c.s, f)
}

// ACLSave writes the users to the server's ACL file and returns "OK".
// Since Redis 6.0.0.
func (c cmds) ACLSave(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "ACL SAVE", idem, toStatus))
}

// ACLSetUser creates or changes an ACL user with rules ("on", ">secret",
// "~key:*", "+get", ...), applied in order, and returns "OK". Rules may
// hold passwords: they never appear in errors. Since Redis 6.0.0.
func (c cmds) ACLSetUser(ctx context.Context, user string, rules ...string) *Future[string] {
	f := newFuture(c.s, ctx, "ACL SETUSER", 0, toStatus)
	f.b.str(user)
	for _, r := range rules {
		f.b.str(r)
	}
	return send(c.s, f)
}

// ACLUsers returns the names of the ACL users. Since Redis 6.0.0.
func (c cmds) ACLUsers(ctx context.Context) *Future[[]string] {
	return send(c.s, newFuture(c.s, ctx, "ACL USERS", ro, toStrings))
}

// ACLWhoAmI returns the user the connection is authenticated as. Since
// Redis 6.0.0.
func (c cmds) ACLWhoAmI(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "ACL WHOAMI", ro, toString))
}
