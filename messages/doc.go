// Package messages is the plain data that travels between package client
// and package actors: commands with their one-shot promises, batches, the
// Request that is either, pub/sub messages, and the flags that routing
// and retry read. With actors it is the engine behind client, and like
// actors it makes no compatibility promise: users import client (and resp
// for raw values), never this package.
//
// A message is immutable once sent, except for its promise, which the
// actor side completes exactly once, and the actors' retry bookkeeping on
// a command (Retry, and the Batched flag the connection sets when it
// queues a batch), which only the actors touch.
package messages
