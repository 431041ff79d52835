package web

import (
	"context"
	"html/template"
	"strings"
	"sync"

	"github.com/zhilian/zhilian/internal/store"
)

// courtOptionsCache keeps the case list's court filter as HTML by scope:
// 157 options for a province, rebuilt for each list and search, were
// half of what such a page allocated (pprof at 100,000 cases). An entry
// holds while the store hands back the same names (CourtNamesUnder keeps
// them with its cached directory, so a court's change makes new ones).
type courtOptionsCache struct {
	mu sync.Mutex
	m  map[string]courtOptions
}

type courtOptions struct {
	of   *store.CourtName // the first of the names the HTML was made from
	html string
}

// courtOptions is the court filter's options for the courts under prefix
// with selected marked, or "" when there are fewer than two to choose.
func (s *Server) courtOptions(ctx context.Context, prefix, selected string) (template.HTML, error) {
	names, err := s.DB.CourtNamesUnder(ctx, prefix)
	if err != nil || len(names) < 2 {
		return "", err
	}
	c := &s.courtOpts
	c.mu.Lock()
	e, ok := c.m[prefix]
	c.mu.Unlock()
	if !ok || e.of != &names[0] {
		opts := make([]option, len(names))
		for i, n := range names {
			opts[i] = option{Value: n.Code, Label: n.Code + " " + n.Name}
		}
		e = courtOptions{of: &names[0], html: string(optionsHTML(opts))}
		c.mu.Lock()
		if c.m == nil {
			c.m = map[string]courtOptions{}
		}
		c.m[prefix] = e
		c.mu.Unlock()
	}
	out := e.html
	if selected != "" {
		v := `<option value="` + escapeHTML(selected) + `"`
		out = strings.Replace(out, v+">", v+" selected>", 1)
	}
	return template.HTML(out), nil //nolint:gosec // built by optionsHTML, which escapes every value and label
}
