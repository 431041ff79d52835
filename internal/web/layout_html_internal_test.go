package web

import (
	"bytes"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

// TestLayoutAsTheTemplate compares writePage with layout.html over
// hostile texts in every part of the page (title, banner, form address,
// messages, welcome, help, navigation, user) and over an empty page; with
// plain texts, byte for byte.
func TestLayoutAsTheTemplate(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	tmpls, err := parseTemplates(a)
	if err != nil {
		t.Fatal(err)
	}
	// A page of the layout whose title and content are the page's Title
	// and Data, as goPages give them.
	tp := template.Must(template.Must(tmpls["error"].Clone()).Parse(`{{define "title"}}{{.Title}}{{end}}{{define "content"}}{{.Data}}{{end}}`))
	head, err := headHTML(a)
	if err != nil {
		t.Fatal(err)
	}
	mark, _ := a.url("favicon.svg")
	sh := shell{head: head, topbar: topbarHTML(mark), assets: a}
	const plain = "（2024）鲁0102执1号"
	for i, x := range append(slices.Clone(hostile), plain, plain) {
		content := template.HTML(`<section class="card">` + escapeHTML(x) + "</section>\n")
		pages := []*page{
			{Title: x, Banner: x, Flash: x, Error: x, FormURL: x, Help: x, Unread: i,
				User:    &domain.User{Name: x, CourtName: x, Roles: []domain.Role{domain.RoleOfficer}},
				Nav:     []navItem{{Label: x, Href: x, Active: true}, {Label: x}},
				Welcome: []roleStart{{Role: x, Does: x, Start: []helpLink{{x, x}, {"帮助", "/help"}}}, {Role: x}}},
			{Title: x},
		}
		for _, p := range pages {
			var want bytes.Buffer
			if err := tp.ExecuteTemplate(&want, "layout", &page{Title: p.Title, Banner: p.Banner, Flash: p.Flash, Error: p.Error, FormURL: p.FormURL,
				Help: p.Help, Unread: p.Unread, User: p.User, Nav: p.Nav, Welcome: p.Welcome, Data: content}); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			sh.writePage(&got, p, pageParts{title: p.Title, content: func(b *bytes.Buffer) { b.WriteString(string(content)) }})
			if w, g := parsed(want.String()), parsed(got.String()); w != g {
				t.Errorf("layout %q:\n got %s\nwant %s", x, g, w)
			}
			if x == plain && got.String() != want.String() {
				t.Errorf("layout %q: not the template's bytes:\n got %q\nwant %q", x, got.String(), want.String())
			}
		}
	}
}

// A page written in Go handed another page's data answers 500, as a
// template's error does, instead of panicking in its type assertion.
func TestGoPageWithOtherData(t *testing.T) {
	s, err := New(&Server{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for name := range goPages {
		rec := httptest.NewRecorder()
		s.render(rec, httptest.NewRequest("GET", "/", nil), http.StatusOK, name, &page{Data: "not the page's data"})
		if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "内部错误") {
			t.Errorf("%s: %d %q", name, rec.Code, rec.Body.String())
		}
	}
}
