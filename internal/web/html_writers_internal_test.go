package web

import (
	"fmt"
	"html/template"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// hostile are texts and hrefs a page may show that came from outside:
// imported party names, a search, an administrator's court names.
var hostile = []string{`"><script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `a&b'c"d`, "javascript:alert(1)", "JavaScript:x", "/cases?q=执1号&x=\"<>'", "mailto:a@b.c", "https://x/y?z=1 2", "data:text/html,<b>", "/a:b/c", "\u2028é\x00"}

// sameHTML renders the template text that a writer replaced with data and
// compares it with the writer's output as a browser reads them: the same
// elements, attributes and texts (entities decoded, whitespace between
// tags aside). A text the writer failed to escape would parse as markup.
func sameHTML(t *testing.T, name, tmpl string, data any, got template.HTML) {
	t.Helper()
	tp := template.Must(template.New(name).Parse(tmpl))
	var b strings.Builder
	if err := tp.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	if w, g := parsed(b.String()), parsed(string(got)); w != g {
		t.Errorf("%s:\n got %s\nwant %s", name, g, w)
	}
}

// parsed lists s's tokens as the HTML tokenizer reads them.
func parsed(s string) string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			return strings.Join(out, " ")
		case html.TextToken:
			if x := strings.TrimSpace(string(z.Text())); x != "" {
				out = append(out, fmt.Sprintf("%q", x))
			}
		default:
			tok := z.Token()
			attrs := ""
			for _, a := range tok.Attr {
				attrs += fmt.Sprintf(" %s=%q", a.Key, a.Val)
			}
			out = append(out, fmt.Sprintf("%s<%s%s>", tt, tok.Data, attrs))
		}
	}
}

// topbarTemplate is layout.html's header before topbarHTML replaced it.
const topbarTemplate = `<header class="topbar">
  <a class="brand" href="/">
    <img class="brand-mark" src="{{.Mark}}" alt="" width="30" height="30">
    <span class="brand-name">执廉</span>
    <span class="brand-sep">·</span>
    <span class="brand-full">执行廉政“四项机制”监督平台</span>
  </a>
  {{with .User}}
  <form class="topbar-search" method="get" action="/search" role="search">
    <label class="sr-only" for="global-q">搜索</label>
    <input id="global-q" name="q" type="search" placeholder="案号、当事人、人员">
    <button type="submit" class="btn btn-topbar">搜索</button>
  </form>
  <div class="userbox">
    <span class="user-id">
      <span class="user-name">{{.Name}}</span>
      <span class="user-meta">{{.CourtName}}{{if $.Roles}} · {{range $i, $r := $.Roles}}{{if $i}}、{{end}}{{$r}}{{end}}{{end}}</span>
    </span>
    <a class="topbar-link" href="/messages" id="messages-link">消息{{with $.Unread}}<span class="unread-count" id="unread-count" aria-label="{{.}} 条未读">{{.}}</span>{{end}}</a>
    <a class="topbar-link" href="/help">帮助</a>
    <a class="topbar-link" href="/account/2fa">动态口令</a>
    <a class="topbar-link" href="/account/password">修改密码</a>
    <form class="logout-form" method="post" action="/logout">
      <button type="submit" class="btn btn-topbar">退出</button>
    </form>
  </div>
  {{else}}
  <div class="userbox"><a class="topbar-link" href="/login">登录</a></div>
  {{end}}
</header>`

func TestWrittenHTMLAsTheTemplates(t *testing.T) {
	for _, x := range hostile {
		lines := []todoLine{
			{todo: todo{Owed: x, About: x, Court: x, Href: x, Due: domain.MustDate("2026-01-02"), Overdue: true}, DueText: x},
			{todo: todo{Owed: x, About: x, Court: x}},
		}
		for _, courts := range []bool{true, false} {
			sameHTML(t, "todo rows", `{{range .Lines}}
      <tr class="todo{{if .Overdue}} row-warn{{end}}">
        <td>{{if .Href}}<a href="{{.Href}}">{{.Owed}}</a>{{else}}{{.Owed}}{{end}}</td>
        <td class="todo-about">{{.About}}</td>
        {{if $.Courts}}<td>{{.Court}}</td>{{end}}
        <td class="col-date">{{if .DueText}}<span title="{{.Due}}">{{.DueText}}</span>{{else}}<span class="muted">—</span>{{end}}</td>
        <td class="col-status">{{if .Overdue}}<span class="badge badge-danger">已逾期</span>{{else}}<span class="badge badge-info">待办理</span>{{end}}</td>
      </tr>
    {{end}}`, map[string]any{"Lines": lines, "Courts": courts}, todoRowsHTML(lines, courts))
		}
		nav := []navItem{{Label: x, Disabled: true}, {Label: x}, {Label: x, Href: x, Active: true}, {Label: x, Href: x}}
		sameHTML(t, "nav", `{{if .Nav}}
  <nav class="sidenav" aria-label="主导航">
    <ul class="nav-list">
    {{range .Nav}}
      {{if .Disabled}}
      <li><span class="nav-item is-disabled" aria-disabled="true">{{.Label}}</span></li>
      {{else if not .Href}}
      <li class="nav-heading">{{.Label}}</li>
      {{else}}
      <li><a class="nav-item{{if .Active}} is-active{{end}}" href="{{.Href}}"{{if .Active}} aria-current="page"{{end}}>{{.Label}}</a></li>
      {{end}}
    {{end}}
    </ul>
  </nav>
  {{end}}`, map[string]any{"Nav": nav}, navHTML(nav))
		head := sortHead{Label: x, Href: x, Order: "descending"}
		sameHTML(t, "sorth", `<a class="sort-link" href="{{.Href}}">{{.Label}}{{if eq .Order "ascending"}} ▲{{else if eq .Order "descending"}} ▼{{end}}</a>`, head, sortHTML(head))
		u := &domain.User{Name: x, CourtName: x, Roles: []domain.Role{domain.RoleOfficer, domain.RoleBureau}}
		sameHTML(t, "topbar", topbarTemplate, map[string]any{"Mark": "/static/favicon.svg?v=1", "User": u, "Roles": []string{domain.RoleOfficer.Label(), domain.RoleBureau.Label()}, "Unread": 3},
			topbarHTML("/static/favicon.svg?v=1")(u, 3))
	}
	sameHTML(t, "topbar signed out", topbarTemplate, map[string]any{"Mark": "/m.svg"}, topbarHTML("/m.svg")(nil, 0))
	// The pager of a long list, its links carrying a hostile search.
	for _, q := range hostile {
		l := &listing{path: "/cases", query: map[string][]string{"q": {q}}, Req: store.PageReq{Page: 5, Size: 20}, Info: store.PageInfo{Total: 1234, Page: 5, Pages: 62, Capped: true}}
		sameHTML(t, "pager", `<nav class="pager" aria-label="分页">
  <span class="pager-count">共 {{.Info.Total}} 条{{if .Info.Capped}}以上{{end}}{{if gt .Info.Pages 1}}，第 {{.First}}–{{.Last}} 条，第 {{.Info.Page}}/{{.Info.Pages}} 页{{end}}</span>
  {{if gt .Info.Pages 1}}<span class="pager-pages">{{range .Pages}}{{if .Gap}}<span class="pager-gap">…</span>{{else if .Current}}<a class="pager-link current" href="{{.Href}}" aria-current="page">{{.Label}}</a>{{else}}<a class="pager-link" href="{{.Href}}"{{with .Rel}} rel="{{.}}"{{end}}>{{.Label}}</a>{{end}}{{end}}</span>{{end}}
  {{if gt .Info.Total 20}}<span class="pager-sizes">每页{{range .Sizes}} {{if .Current}}<a class="pager-link current" href="{{.Href}}" aria-current="true">{{.Size}}</a>{{else}}<a class="pager-link" href="{{.Href}}">{{.Size}}</a>{{end}}{{end}} 条</span>{{end}}
</nav>`, l, pagerHTML(l))
	}
}
