package web

import (
	"bytes"
	"html/template"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

// homeTemplate is home.html's content before writeHome replaced it.
const homeTemplate = `{{define "content"}}
<div class="page-head">
  <h1 class="page-title">首页</h1>
  {{with .User}}<p class="page-sub">{{.Name}}，您好。以下是您当前的待办事项与四项机制入口。</p>{{end}}
</div>
{{with .User}}{{if not .Roles}}<div class="flash flash-info" role="note"><span class="flash-text">您的账户尚未授予角色，请联系本院安全管理员。{{with .PendingRoles}}待审批的角色：{{range $i, $r := .}}{{if $i}}、{{end}}{{$r.Label}}{{end}}。{{end}}</span></div>{{end}}{{end}}

<section class="card" id="todos">
  <div class="card-head">
    <h2 class="card-title">待办事项</h2>
    {{with .Data.Todos.Total}}<span class="card-count">共 {{.}} 项</span>{{end}}
  </div>
  {{range .Data.Todos.Groups}}
  <div class="todo-group" data-kind="{{.Kind.Name}}">
  <h3 class="todo-group-title">{{.Kind.Name}} <span class="card-count">{{.Count}}{{if .Capped}}项以上{{else}}项{{end}}</span></h3>
  <table class="table">
    <thead>
      <tr><th>事项</th><th>对象</th>{{if $.Data.Todos.Courts}}<th>法院</th>{{end}}<th class="col-date">期限</th><th class="col-status">状态</th></tr>
    </thead>
    <tbody>
    {{todoRowsHTML .Lines $.Data.Todos.Courts}}
    </tbody>
  </table>
  {{if .More}}<p class="todo-more"><a href="{{.Kind.List}}">还有{{.More}}项{{if .Capped}}以上{{end}}，查看{{.Kind.Name}}列表 ›</a></p>{{end}}
  </div>
  {{else}}
  <div class="empty">暂无待办事项</div>
  {{end}}
</section>

<section class="section">
  <h2 class="section-title">四项机制</h2>
  <div class="mech-grid">
  {{range .Data.Mechanisms}}
    {{if .Href}}
    <a class="mech-card" href="{{.Href}}">
      <span class="mech-name">{{.Name}}</span>
      <span class="mech-desc">{{.Desc}}</span>
      <span class="mech-go">进入 ›</span>
    </a>
    {{else}}
    <div class="mech-card is-disabled">
      <span class="mech-name">{{.Name}}</span>
      <span class="mech-desc">{{.Desc}}</span>
    </div>
    {{end}}
  {{end}}
  </div>
</section>
{{end}}`

// TestHomeHTMLAsTheTemplate compares writeHome with the template it
// replaced, over hostile texts, with to-dos and without, a user with
// roles, with none but pending ones, and none at all; with plain texts,
// byte for byte.
func TestHomeHTMLAsTheTemplate(t *testing.T) {
	tp := template.Must(template.New("home").Funcs(template.FuncMap{"todoRowsHTML": todoRowsHTML}).Parse(homeTemplate))
	const plain = "张伟"
	for i, x := range append(slices.Clone(hostile), plain, plain, plain) {
		on := i%2 == 0
		users := []*domain.User{{Name: x, Roles: []domain.Role{domain.RoleOfficer}}, {Name: x, PendingRoles: []domain.Role{domain.RoleBureau, domain.RoleOfficer}}, {Name: x}, nil}
		todos := todoList{Total: 7, Courts: on, Groups: []todoGroup{
			{Kind: todoKind{x, x}, Count: 5, More: 2, Capped: on, Lines: []todoLine{{todo: todo{Owed: x, About: x, Court: x, Href: x}, DueText: x}}},
			{Kind: todoVisits, Count: 2},
		}}
		ms := []mechanism{{Name: x, Desc: x, Href: x}, {Name: x, Desc: x}}
		for _, u := range users {
			for _, todos := range []todoList{todos, {}} {
				var want strings.Builder
				if err := tp.ExecuteTemplate(&want, "content", map[string]any{"User": u, "Data": map[string]any{"Todos": todos, "Mechanisms": ms}}); err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				writeHome(&buf, u, todos, ms)
				got := buf.String()
				if w, g := parsed(want.String()), parsed(got); w != g {
					t.Errorf("home %q:\n got %s\nwant %s", x, g, w)
				}
				if x == plain && got != want.String() {
					t.Errorf("home %q: not the template's bytes:\n got %q\nwant %q", x, got, want.String())
				}
			}
		}
	}
}
