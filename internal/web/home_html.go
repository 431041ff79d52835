package web

import (
	"bytes"
	"strconv"

	"github.com/zhilian/zhilian/internal/domain"
)

// writeHome writes the home page's content (the "content" block of
// home.html): the greeting, the to-dos by kind and the four mechanisms.
// Through the template its actions, each field looked up by reflection,
// were half of what an officer's home page spent on rendering once the
// to-do rows were written in Go (pprof at 100,000 cases). b is the
// page's own buffer.
func writeHome(b *bytes.Buffer, u *domain.User, todos todoList, ms []mechanism) {
	b.Grow(4096 + len(todos.Groups)*2048)
	esc := escapeHTML
	b.WriteString(`
<div class="page-head">
  <h1 class="page-title">首页</h1>
  `)
	if u != nil {
		b.WriteString(`<p class="page-sub">` + esc(u.Name) + `，您好。以下是您当前的待办事项与四项机制入口。</p>`)
	}
	b.WriteString("\n</div>\n")
	if u != nil && len(u.Roles) == 0 {
		b.WriteString(`<div class="flash flash-info" role="note"><span class="flash-text">您的账户尚未授予角色，请联系本院安全管理员。`)
		if len(u.PendingRoles) > 0 {
			b.WriteString("待审批的角色：")
			for i, r := range u.PendingRoles {
				if i > 0 {
					b.WriteString("、")
				}
				b.WriteString(esc(r.Label()))
			}
			b.WriteString("。")
		}
		b.WriteString("</span></div>")
	}
	b.WriteString(`

<section class="card" id="todos">
  <div class="card-head">
    <h2 class="card-title">待办事项</h2>
    `)
	if todos.Total != 0 {
		b.WriteString(`<span class="card-count">共 ` + strconv.Itoa(todos.Total) + " 项</span>")
	}
	b.WriteString("\n  </div>\n  ")
	for _, g := range todos.Groups {
		name := esc(g.Kind.Name)
		unit := "项"
		if g.Capped {
			unit = "项以上"
		}
		b.WriteString(`
  <div class="todo-group" data-kind="` + name + `">
  <h3 class="todo-group-title">` + name + ` <span class="card-count">` + strconv.Itoa(g.Count) + unit + `</span></h3>
  <table class="table">
    <thead>
      <tr><th>事项</th><th>对象</th>`)
		if todos.Courts {
			b.WriteString("<th>法院</th>")
		}
		b.WriteString(`<th class="col-date">期限</th><th class="col-status">状态</th></tr>
    </thead>
    <tbody>
    ` + string(todoRowsHTML(g.Lines, todos.Courts)) + `
    </tbody>
  </table>
  `)
		if g.More != 0 {
			b.WriteString(`<p class="todo-more"><a href="` + hrefAttr(g.Kind.List) + `">还有` + strconv.Itoa(g.More) + "项")
			if g.Capped {
				b.WriteString("以上")
			}
			b.WriteString("，查看" + name + "列表 ›</a></p>")
		}
		b.WriteString("\n  </div>\n  ")
	}
	if len(todos.Groups) == 0 {
		b.WriteString("\n  <div class=\"empty\">暂无待办事项</div>\n  ")
	}
	b.WriteString(`
</section>

<section class="section">
  <h2 class="section-title">四项机制</h2>
  <div class="mech-grid">
  `)
	for _, m := range ms {
		if m.Href != "" {
			b.WriteString(`
    
    <a class="mech-card" href="` + hrefAttr(m.Href) + `">
      <span class="mech-name">` + esc(m.Name) + `</span>
      <span class="mech-desc">` + esc(m.Desc) + `</span>
      <span class="mech-go">进入 ›</span>
    </a>
    
  `)
		} else {
			b.WriteString(`
    
    <div class="mech-card is-disabled">
      <span class="mech-name">` + esc(m.Name) + `</span>
      <span class="mech-desc">` + esc(m.Desc) + `</span>
    </div>
    
  `)
		}
	}
	b.WriteString(`
  </div>
</section>
`)
}
