package messages

// Request is what the client hands a connection to write: a *Command, or a
// *Batch of them written together. The set is closed: only this package's
// two types implement it, so a type switch over them is exhaustive.
type Request interface {
	request()
}

func (*Command) request() {}
func (*Batch) request()   {}
