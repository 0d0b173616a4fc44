package actors

import "github.com/actoredis/actoredis/messages"

// ring is a growable FIFO of commands.
type ring struct {
	buf        []*messages.Command
	head, size int
}

func (r *ring) len() int { return r.size }

func (r *ring) push(c *messages.Command) {
	if r.size == len(r.buf) {
		n := max(16, 2*len(r.buf))
		nb := make([]*messages.Command, n)
		for i := 0; i < r.size; i++ {
			nb[i] = r.buf[(r.head+i)%len(r.buf)]
		}
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.size)%len(r.buf)] = c
	r.size++
}

func (r *ring) peek() *messages.Command {
	if r.size == 0 {
		return nil
	}
	return r.buf[r.head]
}

func (r *ring) pop() *messages.Command {
	if r.size == 0 {
		return nil
	}
	c := r.buf[r.head]
	r.buf[r.head] = nil
	r.head = (r.head + 1) % len(r.buf)
	r.size--
	return c
}
