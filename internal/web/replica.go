package web

import (
	"net/http"

	"github.com/zhilian/zhilian/internal/store"
)

// fromReplica marks a page whose reads may be answered by the read
// replica (--db-replica): statistics, the cockpit, exports, and lists no
// write sends its user back to. It wraps the page inside the session, so
// that the sign-in, the session and everything a post then shows are read
// on the primary; the page's own writes (audit records) go there too.
// A page that shows its user's last change must never take it: a
// replica is a little behind the primary.
func fromReplica(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) {
		h(w, r.WithContext(store.ReplicaReads(r.Context())), rq)
	}
}
