package web

import (
	"bytes"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// The page's chrome — the asset links, the top bar and the side
// navigation — is written here rather than by layout.html's actions: every
// page has it, and html/template runs each of its ~80 actions through
// reflective escaper calls, which was 39 % of a small page's CPU and half
// of the case page's template time (pprof at 100,000 cases). Every value
// is escaped below; the hrefs are the server's own paths.

// headHTML is the head's links to the hashed assets, the same on every
// page, so written once when the templates are parsed.
func headHTML(a *assets) (template.HTML, error) {
	var b strings.Builder
	for _, l := range []struct{ name, format string }{
		{"favicon.svg", `<link rel="icon" type="image/svg+xml" href="%s">` + "\n"},
		{"app.css", `<link rel="stylesheet" href="%s">` + "\n"},
		{"app.js", `<script src="%s" defer></script>` + "\n"},
	} {
		u, err := a.url(l.name)
		if err != nil {
			return "", err
		}
		b.WriteString(strings.Replace(l.format, "%s", escapeHTML(u), 1))
	}
	return template.HTML(b.String()), nil //nolint:gosec // the asset URLs are escaped above
}

// topbarHTML is the header: the brand, and for a signed-in user the
// search box, who he is, his unread messages and his account's links.
func topbarHTML(mark string) func(u *domain.User, unread int) template.HTML {
	brand := `<header class="topbar">
  <a class="brand" href="/">
    <img class="brand-mark" src="` + escapeHTML(mark) + `" alt="" width="30" height="30">
    <span class="brand-name">执廉</span>
    <span class="brand-sep">·</span>
    <span class="brand-full">执行廉政“四项机制”监督平台</span>
  </a>
`
	return func(u *domain.User, unread int) template.HTML {
		var b strings.Builder
		b.Grow(2048)
		b.WriteString(brand)
		if u == nil {
			b.WriteString(`  <div class="userbox"><a class="topbar-link" href="/login">登录</a></div>
</header>
`)
			return template.HTML(b.String()) //nolint:gosec // constant
		}
		b.WriteString(`  <form class="topbar-search" method="get" action="/search" role="search">
    <label class="sr-only" for="global-q">搜索</label>
    <input id="global-q" name="q" type="search" placeholder="案号、当事人、人员">
    <button type="submit" class="btn btn-topbar">搜索</button>
  </form>
  <div class="userbox">
    <span class="user-id">
      <span class="user-name">`)
		b.WriteString(escapeHTML(u.Name))
		b.WriteString(`</span>
      <span class="user-meta">`)
		b.WriteString(escapeHTML(u.CourtName))
		for i, r := range u.Roles {
			if i == 0 {
				b.WriteString(" · ")
			} else {
				b.WriteString("、")
			}
			b.WriteString(escapeHTML(r.Label()))
		}
		b.WriteString(`</span>
    </span>
    <a class="topbar-link" href="/messages" id="messages-link">消息`)
		if unread != 0 {
			n := strconv.Itoa(unread)
			b.WriteString(`<span class="unread-count" id="unread-count" aria-label="` + n + ` 条未读">` + n + `</span>`)
		}
		b.WriteString(`</a>
    <a class="topbar-link" href="/help">帮助</a>
    <a class="topbar-link" href="/account/2fa">动态口令</a>
    <a class="topbar-link" href="/account/password">修改密码</a>
    <form class="logout-form" method="post" action="/logout">
      <button type="submit" class="btn btn-topbar">退出</button>
    </form>
  </div>
</header>
`)
		return template.HTML(b.String()) //nolint:gosec // every value is escaped above
	}
}

// navHTML is the side navigation: the items nav chose for the user, the
// current page's marked.
func navHTML(items []navItem) template.HTML {
	if len(items) == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(len(items)*96 + 128)
	b.WriteString(`<nav class="sidenav" aria-label="主导航">
    <ul class="nav-list">
`)
	for _, it := range items {
		label := escapeHTML(it.Label)
		switch {
		case it.Disabled:
			b.WriteString(`      <li><span class="nav-item is-disabled" aria-disabled="true">` + label + "</span></li>\n")
		case it.Href == "":
			b.WriteString(`      <li class="nav-heading">` + label + "</li>\n")
		case it.Active:
			b.WriteString(`      <li><a class="nav-item is-active" href="` + hrefAttr(it.Href) + `" aria-current="page">` + label + "</a></li>\n")
		default:
			b.WriteString(`      <li><a class="nav-item" href="` + hrefAttr(it.Href) + `">` + label + "</a></li>\n")
		}
	}
	b.WriteString(`    </ul>
  </nav>
`)
	return template.HTML(b.String()) //nolint:gosec // every label and href is escaped above
}

// hrefAttr is a URL for an href attribute as html/template writes one: a
// scheme other than http, https or mailto is refused (#ZgotmplZ, as the
// template does), bytes outside the URL's own characters are
// percent-encoded, and the result is escaped for the attribute.
func hrefAttr(u string) string {
	if i := strings.IndexByte(u, ':'); i >= 0 && !strings.Contains(u[:i], "/") {
		switch strings.ToLower(u[:i]) {
		case "http", "https", "mailto":
		default:
			return "#ZgotmplZ"
		}
	}
	i := 0
	for i < len(u) && urlByte(u[i]) {
		i++
	}
	if i == len(u) { // a list's links, already encoded: nothing to add
		return escapeHTML(u)
	}
	var b strings.Builder
	b.Grow(len(u) + 32)
	b.WriteString(u[:i])
	for ; i < len(u); i++ {
		c := u[i]
		switch {
		case urlByte(c):
			b.WriteByte(c)
		default:
			const hex = "0123456789abcdef" // lower case, as the template's
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return escapeHTML(b.String())
}

// urlByte reports whether c stands in a URL as it is, for hrefAttr.
func urlByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&*+,/:;=?@[]-._~%", c) >= 0
}

// pagerHTML is a list's pager (the "pager" block of _pager.html): the
// count, the page links and the page sizes. Written here because its
// dozen links each took a URL-escaping chain of reflective calls, a tenth
// of a case search's template time.
func pagerHTML(l *listing) template.HTML {
	var b bytes.Buffer
	b.Grow(2048)
	writePager(&b, l)
	return template.HTML(b.String()) //nolint:gosec // every text and href is escaped by writePager
}

// writePager writes pagerHTML's pager to b, for a writer of a whole list.
func writePager(b *bytes.Buffer, l *listing) {
	in := l.Info
	b.WriteString(`<nav class="pager" aria-label="分页">
  <span class="pager-count">共 ` + strconv.Itoa(in.Total) + ` 条`)
	if in.Capped {
		b.WriteString("以上")
	}
	if in.Pages > 1 {
		b.WriteString("，第 " + strconv.Itoa(l.First()) + "–" + strconv.Itoa(l.Last()) + " 条，第 " + strconv.Itoa(in.Page) + "/" + strconv.Itoa(in.Pages) + " 页")
	}
	b.WriteString("</span>\n")
	if in.Pages > 1 {
		b.WriteString(`  <span class="pager-pages">`)
		for _, p := range l.Pages() {
			label := escapeHTML(p.Label)
			switch {
			case p.Gap:
				b.WriteString(`<span class="pager-gap">…</span>`)
			case p.Current:
				b.WriteString(`<a class="pager-link current" href="` + hrefAttr(p.Href) + `" aria-current="page">` + label + "</a>")
			default:
				b.WriteString(`<a class="pager-link" href="` + hrefAttr(p.Href) + `"`)
				if p.Rel != "" {
					b.WriteString(` rel="` + escapeHTML(p.Rel) + `"`)
				}
				b.WriteString(">" + label + "</a>")
			}
		}
		b.WriteString("</span>\n")
	}
	if in.Total > 20 {
		b.WriteString(`  <span class="pager-sizes">每页`)
		for _, s := range l.Sizes() {
			n := strconv.Itoa(s.Size)
			if s.Current {
				b.WriteString(` <a class="pager-link current" href="` + hrefAttr(s.Href) + `" aria-current="true">` + n + "</a>")
			} else {
				b.WriteString(` <a class="pager-link" href="` + hrefAttr(s.Href) + `">` + n + "</a>")
			}
		}
		b.WriteString(" 条</span>\n")
	}
	b.WriteString("</nav>\n")
}

// sortHTML is a sortable column's heading link (the "sorth" block).
func sortHTML(h sortHead) template.HTML {
	s := `<a class="sort-link" href="` + hrefAttr(h.Href) + `">` + escapeHTML(h.Label)
	switch h.Order {
	case "ascending":
		s += " ▲"
	case "descending":
		s += " ▼"
	}
	return template.HTML(s + "</a>") //nolint:gosec // the label and href are escaped above
}

// escapeHTML escapes s for a text or a quoted attribute as html/template
// does: html.EscapeString, and a NUL byte replaced by U+FFFD.
func escapeHTML(s string) string {
	s = html.EscapeString(s)
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	return s
}

// writeEscaped writes escapeHTML(s) to b without building the escaped
// string, which for a text with an ampersand (every statistics row's
// drill-down link) is a new string each time.
func writeEscaped(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		case '"':
			r = "&#34;"
		case 0:
			r = "\uFFFD"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}
