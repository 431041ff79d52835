package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// assets serves the embedded static files under names that carry a hash of
// their content, so that browsers may cache them for a year and still see
// a new version at once.
type assets struct {
	hashed map[string]string // app.css → /static/app.3f2a1b9c.css
	files  map[string][]byte // app.3f2a1b9c.css → content
}

func loadAssets() (*assets, error) {
	a := &assets{hashed: map[string]string{}, files: map[string][]byte{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a.hashed[name] = "/static/" + hashed
		a.files[hashed] = b
		return nil
	})
	return a, err
}

func (a *assets) url(name string) (string, error) {
	u, ok := a.hashed[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return u, nil
}

func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, ok := a.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}

// standalone pages define their own "layout": outside the application
// shell (the login, the party's mobile page, printable forms).
var standalone = map[string]bool{"login": true, "mfa": true, "visit_link": true, "visit_link_done": true, "visit_print": true, "trip_print": true, "trip_duty_print": true, "rect_print": true, "tracking_minutes": true, "tracking_report": true}

// parseTemplates parses layout.html with each page, keyed by page name.
func parseTemplates(a *assets) (map[string]*template.Template, error) {
	head, err := headHTML(a)
	if err != nil {
		return nil, err
	}
	mark, err := a.url("favicon.svg")
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{"asset": a.url,
		"head":    func() template.HTML { return head },
		"topbar":  topbarHTML(mark),
		"navHTML": navHTML,
		// pagerHTML and sortHTML are the list blocks of _pager.html.
		"pagerHTML": pagerHTML,
		"sortHTML":  sortHTML,
		// reviewsOf hands the review partial what it needs.
		"deref":           func(b *bool) bool { return b != nil && *b },
		"months":          func() []int { return []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} },
		"inc":             func(i int) int { return i + 1 },
		"options":         optionsHTML,
		"findingRowsHTML": findingRowsHTML,
		// name is a recorded actor as prints show him: his name, not his
		// username.
		"name": nameOnly,
		// day is a stored time's Beijing date.
		"day": func(t time.Time) string { return dayOf(t).String() },
		"reviewsOf": func(reviews any, head, watch bool, back string) map[string]any {
			return map[string]any{"Reviews": reviews, "IsHead": head, "IsWatch": watch, "Back": back}
		},
		// grantsOf and requestsOf hand the approval table its rows, where
		// its forms post, and the page to come back to.
		"grantsOf": func(rows []approvalRow, back string) map[string]any {
			return map[string]any{"Rows": rows, "Path": "/admin/grants", "NoteID": "note", "Back": back}
		},
		"requestsOf": func(rows []approvalRow, back string) map[string]any {
			return map[string]any{"Rows": rows, "Path": "/admin/requests", "NoteID": "rnote", "Back": back}
		},
		// findingsOf hands the patrol findings' table its rows and the page
		// its forms come back to.
		"findingsOf": func(rows []findingView, back string, form ...formState) map[string]any {
			m := map[string]any{"Rows": rows, "Back": back, "Form": formState{}}
			if len(form) > 0 {
				m["Form"] = form[0] // a failed dismissal's reason and message
			}
			return m
		}}
	// Partials (files named _*.html) are parsed into every page.
	layout, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("parsing layout: %w", err)
	}
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		var t *template.Template
		if standalone[name] {
			t, err = template.New("").Funcs(funcs).ParseFS(templateFS, "templates/_*.html", p)
		} else {
			t, err = template.Must(layout.Clone()).ParseFS(templateFS, p)
		}
		if err != nil {
			return nil, fmt.Errorf("parsing %s: %w", p, err)
		}
		out[name] = t
	}
	return out, nil
}

// page is what every template receives.
type page struct {
	// Banner is the server's notice on every page (the demo's).
	Banner string
	Title  string
	User   *domain.User
	Nav    []navItem
	Flash  string
	Error  string
	Data   any
	// Unread is the signed-in user's unread messages, for the header.
	Unread int
	// Form is a failed post shown again: what was typed and each wrong
	// field's message (forms.go); FormURL the form's own address, which
	// the browser's address bar is set back to.
	Form    formState
	FormURL string
	// Help is the help topic of the page's mechanism (help.go); Welcome
	// where the user's roles start, on the first page after the first
	// sign-in.
	Help    string
	Welcome []roleStart
}

type navItem struct {
	Label, Href      string
	Active, Disabled bool
}

type option struct {
	Value, Label string
	Selected     bool
}

// optionsHTML is a select's options, escaped here rather than by the
// template action by action: the court lists have 157 options for a
// province, three reflective template actions each, which was a third
// of the case list's rendering (pprof).
func optionsHTML(opts []option) template.HTML {
	var b strings.Builder
	b.Grow(len(opts) * 96) // growing by doubling was half the bytes a case list allocated
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(escapeHTML(o.Value))
		b.WriteString(`"`)
		if o.Selected {
			b.WriteString(" selected")
		}
		b.WriteString(">")
		b.WriteString(escapeHTML(o.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String()) //nolint:gosec // every value and label is escaped above
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	gp, isGo := goPages[name]
	t, ok := s.tmpl[name]
	if !ok && !isGo {
		s.Log.Error("no template", "name", name)
		http.Error(w, "内部错误", http.StatusInternalServerError)
		return
	}
	if rq := reqFrom(r); rq != nil && p.User == nil {
		p.User = rq.user
		p.Nav = s.nav(rq, r.URL.Path)
		p.Unread = unread(rq)
		if rq.user != nil && s.takeFirstLogin(w, r) {
			p.Welcome = startsFor(rq.user)
		}
	}
	if p.Help == "" {
		p.Help = helpFor(r.URL.Path)
	}
	if f := refillFrom(r); f != nil && status == http.StatusOK {
		status, p.Form, p.FormURL = http.StatusUnprocessableEntity, f.state, f.url
		if p.Error == "" {
			p.Error = f.message
		}
	} else if r.Method == http.MethodPost && status == http.StatusUnprocessableEntity && p.FormURL == "" {
		p.FormURL = formURL(r)
	}
	if p.Flash == "" {
		p.Flash = s.takeFlash(w, r)
	}
	p.Banner = s.Banner
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	if isGo {
		parts, ok := gp(p)
		if !ok {
			s.Log.Error("rendering page", "page", name, "err", fmt.Sprintf("data of type %T", p.Data))
			http.Error(w, "内部错误", http.StatusInternalServerError)
			return
		}
		s.shell.writePage(buf, p, parts)
	} else if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		s.Log.Error("rendering page", "template", name, "err", err)
		http.Error(w, "内部错误", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The length known, the page goes out in one piece rather than in
	// chunks, which both ends of the connection then frame and parse.
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageBuffers keeps the buffers pages are rendered into: a list page is
// 60–100 KB, and growing a fresh buffer to that by doubling was 3.5 % of
// the case list's CPU and much of its garbage (pprof at 100,000 cases).
var pageBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

// putPageBuffer returns a buffer to the pool, unless an unusually large
// page grew it: that one is left to the collector rather than kept.
func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	pageBuffers.Put(b)
}

// unread is the user's unread messages for the header, counted when
// the session was read (store.Session.Unread).
func unread(rq *request) int {
	if rq.sess == nil || rq.sess.Stage == store.StageMFA {
		return 0
	}
	return rq.sess.Unread
}

// fail writes the error page for err: the status from its domain code, the
// message fit for users, and the internal text only to the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if s.refill(w, r, err) {
		return
	}
	status := statusOf(err)
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	lvl := slog.LevelInfo
	if status >= 500 {
		lvl = slog.LevelError
	}
	switch status {
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "30")
	case http.StatusInsufficientStorage:
		s.storageFullAt.Store(time.Now().UnixNano())
		s.Metrics.CountStorageFull()
	}
	s.Log.Log(r.Context(), lvl, "request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	s.render(w, r, status, "error", &page{Title: "出错了", Data: struct {
		Status  int
		Message string
	}{status, domain.UserMessage(err)}})
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, domain.ErrInvalid):
		return http.StatusUnprocessableEntity
	case errors.Is(err, domain.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, domain.ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, domain.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, domain.ErrLocked):
		return http.StatusTooManyRequests
	case errors.Is(err, domain.ErrStorageFull):
		return http.StatusInsufficientStorage
	case errors.Is(err, domain.ErrUnavailable):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fieldErrors returns the per-field messages of a validation error, or nil.
func fieldErrors(err error) map[string]string {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		return ve.Fields
	}
	var de *domain.Error
	if errors.As(err, &de) && de.Field != "" {
		return map[string]string{de.Field: de.Message}
	}
	return nil
}
