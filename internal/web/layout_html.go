package web

import (
	"bytes"
	"html/template"

	"github.com/zhilian/zhilian/internal/domain"
)

// goPage gives a page written in Go whole its parts from what render
// hands a template; ok is false when Data is not the page's own type,
// which render answers as it does a template's error.
type goPage func(p *page) (parts pageParts, ok bool)

// pageParts is what a page written in Go puts into the layout: its title,
// the static scripts of the layout's "scripts" block (asset names), and
// the writer of its content. The content is written into the page's own
// buffer between the layout's two halves: made apart, a list page's 60 KB
// was allocated and copied again for every request.
type pageParts struct {
	title   string
	scripts []string
	content func(*bytes.Buffer)
}

// goPages are the busiest pages, written in Go whole (writePage): once
// their content was, html/template's walk of layout.html, a dozen
// actions each called by reflection, was most of what the case page
// still spent on rendering (pprof at 100,000 cases).
var goPages = map[string]goPage{
	"case": func(p *page) (pageParts, bool) {
		d, ok := p.Data.(caseDetail)
		return pageParts{title: d.Number, content: func(b *bytes.Buffer) { writeCase(b, d, p.Form) }}, ok
	},
	"cases": func(p *page) (pageParts, bool) {
		d, ok := p.Data.(caseList)
		return pageParts{title: "执行案件", content: func(b *bytes.Buffer) { writeCases(b, d) }}, ok
	},
	"home": func(p *page) (pageParts, bool) {
		d, ok := p.Data.(homeData)
		return pageParts{title: "首页", content: func(b *bytes.Buffer) { writeHome(b, p.User, d.Todos, d.Mechanisms) }}, ok
	},
	"visit_stats": func(p *page) (pageParts, bool) {
		d, ok := p.Data.(statsPage)
		return pageParts{title: "回访统计", scripts: []string{"echarts.min.js", "stats.js"},
			content: func(b *bytes.Buffer) { writeStats(b, d, p.Form) }}, ok
	},
}

// shell is what every page written in Go repeats: the head's links and
// the top bar, made once from the assets as parseTemplates makes them.
type shell struct {
	head   template.HTML
	topbar func(*domain.User, int) template.HTML
	assets *assets
}

// writePage writes p as layout.html does, with parts in its blocks, to
// b. TestLayoutAsTheTemplate holds it to the template.
func (sh shell) writePage(b *bytes.Buffer, p *page, parts pageParts) {
	esc := escapeHTML
	b.WriteString(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + esc(parts.title) + ` - 执廉</title>
` + string(sh.head))
	for i, name := range parts.scripts {
		if i > 0 {
			b.WriteString("\n")
		}
		// Each name is a constant of goPages; TestGoPagesScripts finds
		// every one among the assets.
		u, _ := sh.assets.url(name)
		b.WriteString(`<script src="` + escapeHTML(u) + `" defer></script>`)
	}
	b.WriteString(`
</head>
<body class="app"`)
	if p.FormURL != "" {
		b.WriteString(` data-form-url="` + hrefAttr(p.FormURL) + `"`)
	}
	b.WriteString(">\n")
	if p.Banner != "" {
		b.WriteString(`<div class="demo-banner" role="note">` + esc(p.Banner) + "</div>")
	}
	b.WriteString("\n")
	b.WriteString(string(sh.topbar(p.User, p.Unread)))
	b.WriteString("<div class=\"shell\">\n  ")
	b.WriteString(string(navHTML(p.Nav)))
	b.WriteString("\n  <main class=\"main\">\n    ")
	if p.Flash != "" {
		b.WriteString(`<div class="flash flash-success" role="status" data-autodismiss><span class="flash-text">` + esc(p.Flash) +
			`</span><button type="button" class="flash-close" aria-label="关闭">×</button></div>`)
	}
	b.WriteString("\n    ")
	if p.Error != "" {
		b.WriteString(`<div class="flash flash-error" role="alert"><span class="flash-text">` + esc(p.Error) +
			`</span><button type="button" class="flash-close" aria-label="关闭">×</button></div>`)
	}
	b.WriteString("\n    ")
	if len(p.Welcome) > 0 {
		b.WriteString(`<section class="card welcome-card" aria-labelledby="welcome-title">
      <h2 class="card-title" id="welcome-title">欢迎使用执廉：从这里开始</h2>
      `)
		for _, r := range p.Welcome {
			b.WriteString("<p><strong>" + esc(r.Role) + "</strong>：" + esc(r.Does) + `</p><p class="welcome-links">`)
			for _, l := range r.Start {
				b.WriteString(`<a class="btn" href="` + hrefAttr(l.Href) + `">` + esc(l.Label) + "</a> ")
			}
			b.WriteString("</p>")
		}
		b.WriteString(`
      <p class="hint">这段说明只在首次登录后显示一次；以后可在“使用帮助”中的“从这里开始”再次查看。</p>
    </section>`)
	}
	b.WriteString("\n    ")
	if p.Help != "" {
		b.WriteString(`<p class="help-link"><a href="` + hrefAttr("/help/"+p.Help) + `">本机制说明：文件依据、流程和分工</a></p>`)
	}
	b.WriteString("\n    ")
	parts.content(b)
	b.WriteString(`
    <footer class="footer">山东省高级人民法院 · 鲁高法办〔2021〕8号</footer>
  </main>
</div>
</body>
</html>
`)
}
