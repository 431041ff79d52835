package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/zhilian/zhilian/internal/courts"
)

// divisionsJSON is the destination picker's list, every division's code,
// full name and pinyin initials (courts.DivisionInitials), encoded once
// with its ETag.
var divisionsJSON = sync.OnceValues(func() ([]byte, string) {
	type entry struct {
		Code     string `json:"c"`
		Name     string `json:"n"`
		Initials string `json:"p"`
	}
	ds := divisionList()
	out := make([]entry, len(ds))
	for i, d := range ds {
		out[i] = entry{d.Code, d.Name, courts.DivisionInitials(d.Code)}
	}
	b, _ := json.Marshal(out) // strings only: cannot fail
	sum := sha256.Sum256(b)
	return b, `"` + hex.EncodeToString(sum[:8]) + `"`
})

// divisionsGzip is the list compressed once, for the browsers that take
// it (all do): a fifth of its size.
var divisionsGzip = sync.OnceValue(func() []byte {
	b, _ := divisionsJSON()
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression) // a valid level: cannot fail
	_, _ = w.Write(b)
	_ = w.Close()
	return z.Bytes()
})

// divisions serves the administrative divisions to signed-in users, for
// the trip form's picker: fetched once, then kept by the browser a day and
// revalidated by ETag.
func (s *Server) divisions(w http.ResponseWriter, r *http.Request, _ *request) {
	b, etag := divisionsJSON()
	h := w.Header()
	h.Set("Vary", "Accept-Encoding")
	gz := strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
	if gz {
		b, etag = divisionsGzip(), strings.TrimSuffix(etag, `"`)+`-gz"`
	}
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, max-age=86400")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	_, _ = w.Write(b)
}

// resolveDestinations turns what the destination boxes say — a name as
// typed or picked, or a code — into codes for the plan; a box naming no
// one division is passed on as typed, for the plan's check to refuse.
// The boxes keep names: a code sent is shown by its name.
func resolveDestinations(boxes []string) (codes, names []string) {
	for _, b := range boxes {
		code := courts.ResolveDivision(b)
		if code == "" {
			codes, names = append(codes, b), append(names, b)
			continue
		}
		codes, names = append(codes, code), append(names, courts.DivisionName(code))
	}
	return codes, names
}
