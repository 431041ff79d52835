package web

import (
	"bytes"
	"html/template"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/store"
)

// casesTemplate is cases.html's content before writeCases replaced it,
// with the list blocks of _pager.html it used.
const casesTemplate = `{{define "pager"}}{{pagerHTML .}}{{end}}
{{define "sorth"}}{{sortHTML .}}{{end}}
{{define "chip"}}<a class="chip{{if .Current}} chip-current{{end}}" href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>{{.Label}}</a>{{end}}{{define "content"}}
<div class="page-head page-head-row">
  <div>
    <h1 class="page-title">执行案件</h1>
    <p class="page-sub">{{.Data.ScopeNote}}</p>
  </div>
  {{if .Data.CanImport}}<a class="btn btn-primary" href="/cases/import">导入案件</a>{{end}}
</div>

<section class="card">
  <form class="filters" method="get" action="/cases">
    <div class="field field-wide">
      <label for="c-q">查询</label>
      <input id="c-q" name="q" type="search" value="{{.Data.Filter.Query}}" placeholder="案号（任意写法）、当事人或承办人">
    </div>
    {{if .Data.CourtOptions}}
    <div class="field">
      <label for="c-court">法院</label>
      <select id="c-court" name="court">
        <option value="">全部</option>
        {{.Data.CourtOptions}}
      </select>
    </div>
    {{end}}
    <div class="field">
      <label for="c-status">状态</label>
      <select id="c-status" name="status">
        <option value="">全部</option>
        <option value="open"{{if eq .Data.Filter.Status "open"}} selected{{end}}>未结</option>
        <option value="closed"{{if eq .Data.Filter.Status "closed"}} selected{{end}}>已结</option>
      </select>
    </div>
    <div class="field">
      <span class="label">标记</span>
      <div class="check-grid">
        <label class="check"><input type="checkbox" name="overdue" value="1"{{if .Data.Filter.Overdue}} checked{{end}}> 超期未结</label>
        {{range .Data.FlagOptions}}<label class="check"><input type="checkbox" name="flag" value="{{.Value}}"{{if .Selected}} checked{{end}}> {{.Label}}</label>{{end}}
      </div>
    </div>
    {{with .Data.List.Req}}{{if .Sort}}<input type="hidden" name="sort" value="{{.Sort}}">{{if .Desc}}<input type="hidden" name="order" value="desc">{{end}}{{end}}{{if .Size}}<input type="hidden" name="size" value="{{.Size}}">{{end}}{{end}}
    <div class="filters-actions">
      <button type="submit" class="btn btn-primary">查询</button>
      <a class="btn btn-link" href="/cases">重置</a>
    </div>
  </form>

  <div class="card-head">
    <h2 class="card-title">案件列表</h2>
    <span class="card-count">共 {{.Data.List.Info.Total}}{{if .Data.List.Info.Capped}} 件以上{{else}} 件{{end}}</span>
  </div>
  <table class="table table-compact">
    <thead>
      {{$l := .Data.List}}
      <tr><th aria-sort="{{($l.Col "number" "案号").Order}}">{{template "sorth" ($l.Col "number" "案号")}}</th><th>法院</th><th class="col-date" aria-sort="{{($l.Col "filed" "立案日期").Order}}">{{template "sorth" ($l.Col "filed" "立案日期")}}</th><th>承办人</th><th>承办部门</th><th class="col-num" aria-sort="{{($l.Col "amount" "标的金额（元）").Order}}">{{template "sorth" ($l.Col "amount" "标的金额（元）")}}</th><th class="col-status">状态</th><th class="col-date" aria-sort="{{($l.Col "closed" "期限/结案").Order}}">{{template "sorth" ($l.Col "closed" "期限/结案")}}</th><th>标记</th></tr>
    </thead>
    <tbody>
    {{caseRowsHTML .Data.Rows}}
    </tbody>
  </table>
  {{template "pager" .Data.List}}
</section>
{{end}}`

// TestCasesHTMLAsTheTemplate compares writeCases with the template it
// replaced, over hostile texts, with and without the court filter, sorted
// either way or not, capped or not; with plain texts, byte for byte.
func TestCasesHTMLAsTheTemplate(t *testing.T) {
	tp := template.Must(template.New("cases").Funcs(template.FuncMap{"caseRowsHTML": caseRowsHTML, "pagerHTML": pagerHTML, "sortHTML": sortHTML}).Parse(casesTemplate))
	const plain = "（2024）鲁0102执1号"
	for i, x := range append(slices.Clone(hostile), plain, plain, plain) {
		on := i%2 == 0
		l := &listing{path: "/cases", query: map[string][]string{"q": {x}}, sorts: store.CaseSorts,
			Req: store.PageReq{Page: 2, Size: 50}, Info: store.PageInfo{Total: 1234, Page: 2, Pages: 25, Capped: on}}
		switch i % 3 {
		case 0:
			l.Req.Sort, l.Info.Sort = "filed", "filed"
		case 1:
			l.Req.Sort, l.Req.Desc, l.Info.Sort, l.Info.Desc = "amount", true, "amount", true
			l.Req.Size = 0
		}
		d := caseList{Filter: store.CaseFilter{Query: x, Status: []string{"open", "closed", x}[i%3], Overdue: on}, List: l, ScopeNote: x, CanImport: on,
			FlagOptions: []option{{Value: x, Label: x, Selected: true}, {Value: "petition", Label: "信访"}},
			Rows:        []caseRow{{ID: 1, Number: x, Court: x, Flags: []string{x}, Overdue: on, DueOn: x}}}
		if on {
			d.CourtOptions = optionsHTML([]option{{Value: x, Label: x, Selected: true}, {Value: "鲁01", Label: "济南"}})
		}
		var want strings.Builder
		if err := tp.ExecuteTemplate(&want, "content", map[string]any{"Data": d}); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		writeCases(&buf, d)
		got := buf.String()
		if w, g := parsed(want.String()), parsed(got); w != g {
			t.Errorf("cases %q:\n got %s\nwant %s", x, g, w)
		}
		if x == plain && got != want.String() {
			t.Errorf("cases %q: not the template's bytes:\n got %q\nwant %q", x, got, want.String())
		}
	}
}
