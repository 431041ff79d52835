package web

import (
	"context"
	"html/template"
	"strings"

	"github.com/zhilian/zhilian/internal/store"
)

// courtOptions is the court filter's options for the courts under prefix
// with selected marked, or "" when there are fewer than two to choose.
// The options' HTML is built once per prefix and kept by the store with
// its court directory (CourtFilter), dropped with it.
func (s *Server) courtOptions(ctx context.Context, prefix, selected string) (template.HTML, error) {
	out, err := s.DB.CourtFilter(ctx, prefix, courtOptionsHTML)
	if err != nil || out == "" {
		return "", err
	}
	if selected != "" {
		v := `<option value="` + escapeHTML(selected) + `"`
		out = strings.Replace(out, v+">", v+" selected>", 1)
	}
	return template.HTML(out), nil //nolint:gosec // built by optionsHTML, which escapes every value and label
}

// courtOptionsHTML is the options of a court filter over names, none
// selected, or "" when there are fewer than two to choose.
func courtOptionsHTML(names []store.CourtName) string {
	if len(names) < 2 {
		return ""
	}
	opts := make([]option, len(names))
	for i, n := range names {
		opts[i] = option{Value: n.Code, Label: n.Code + " " + n.Name}
	}
	return string(optionsHTML(opts))
}
