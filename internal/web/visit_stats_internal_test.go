package web

import (
	"net/url"
	"testing"

	"github.com/zhilian/zhilian/internal/store"
)

// TestDrillURLAsEncode holds drillURL to the query url.Values.Encode
// writes, for every grouping, with and without a kind, over keys that
// need escaping.
func TestDrillURLAsEncode(t *testing.T) {
	s := &Server{}
	for _, g := range groupings {
		for _, kind := range []string{"", "focused", "a&b"} {
			for _, key := range []string{"鲁0102", "2026-03", "a b&c=d+e", "张三/李#%", ""} {
				f := store.StatsFilter{From: "2026-01", To: "2026-12", By: g.Value, Kind: kind, Court: "鲁01"}
				q := url.Values{"step": {"all"}, "from": {f.From}, "to": {f.To}}
				switch f.By {
				case "court", "department", "officer":
					q.Set(f.By, key)
				case "month":
					q.Set("from", key)
					q.Set("to", key)
				}
				if kind != "" {
					q.Set("kind", kind)
				}
				if got, want := s.drillURL(f, key), "/visits?"+q.Encode(); got != want {
					t.Errorf("by %s, kind %q, key %q:\n got %s\nwant %s", g.Value, kind, key, got, want)
				}
			}
		}
	}
}
