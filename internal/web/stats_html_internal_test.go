package web

import (
	"bytes"
	"encoding/json"
	"html/template"
	"slices"
	"testing"

	"github.com/zhilian/zhilian/internal/store"
)

// statsTemplate is visit_stats.html before writeStats replaced it.
const statsTemplate = `{{define "title"}}回访统计{{end}}
{{define "scripts"}}<script src="{{asset "echarts.min.js"}}" defer></script>
<script src="{{asset "stats.js"}}" defer></script>{{end}}
{{define "content"}}
{{with .Data}}
<div class="page-head page-head-row">
  <div>
    <h1 class="page-title">回访统计分析</h1>
    <p class="page-sub">{{.Filter.From}} 至 {{.Filter.To}}，按{{.GroupLabel}}统计。点击各行可查看对应的回访。</p>
  </div>
  <a class="btn" href="{{.ExportURL}}">导出 XLSX</a>
</div>
<section class="card">
  <form class="filters" method="get" action="/visit-stats">
    <div class="field{{$.Form.Bad "from"}}"><label for="s-from">起始月份</label><input id="s-from" name="from" type="text" lang="zh-CN" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}" placeholder="如 2026-01" value="{{$.Form.Val "from" .Filter.From}}" {{$.Form.Attrs "from"}}>{{template "field_error" ($.Form.Field "from")}}</div>
    <div class="field{{$.Form.Bad "to"}}"><label for="s-to">截止月份</label><input id="s-to" name="to" type="text" lang="zh-CN" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}" placeholder="如 2026-12" value="{{$.Form.Val "to" .Filter.To}}" {{$.Form.Attrs "to"}}>{{template "field_error" ($.Form.Field "to")}}</div>
    <div class="field"><label for="s-by">统计维度</label><select id="s-by" name="by">{{range .By}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}</select></div>
    <div class="field"><label for="s-kind">类型</label><select id="s-kind" name="kind">
      <option value="">全部</option><option value="daily"{{if eq .Filter.Kind "daily"}} selected{{end}}>日常回访</option><option value="focused"{{if eq .Filter.Kind "focused"}} selected{{end}}>重点回访</option></select></div>
    <div class="filters-actions"><button type="submit" class="btn btn-primary">统计</button></div>
  </form>
</section>
<section class="card">
  <h2 class="card-title">趋势</h2>
  <div class="chart" id="trend-chart" role="img" aria-label="近期回访数量与满意率趋势"></div>
  <div class="chart chart-small" id="category-chart" role="img" aria-label="不满意事项类别分布"></div>
  <script type="application/json" id="stats-data">{{.Chart}}</script>
</section>
<section class="card">
  <h2 class="card-title">分{{.GroupLabel}}统计</h2>
  <table class="table table-compact">
    <thead><tr><th>{{.GroupLabel}}</th><th class="col-num">回访</th><th class="col-num">短信发送</th><th class="col-num">回复</th><th class="col-num">回复率</th>
      <th class="col-num">满意</th><th class="col-num">不满意</th><th class="col-num">满意率</th><th class="col-num">电话回访</th><th class="col-num">会商</th><th class="col-num">实地回访</th><th class="col-num">已结束</th></tr></thead>
    <tbody>
    {{statsRowsHTML .Rows .Total}}
    </tbody>
  </table>
</section>
<section class="card">
  <h2 class="card-title">不满意事项（附件3）</h2>
  <table class="table table-compact">
    <thead><tr><th>类别</th><th>事项</th><th class="col-num">次数</th></tr></thead>
    <tbody>
    {{range .Items}}<tr{{if .Count}} class="row-warn"{{end}}><td>{{.Category}}</td><td>{{.Text}}</td><td class="col-num">{{.Count}}</td></tr>{{end}}
    </tbody>
  </table>
</section>
{{end}}
{{end}}
`

// TestStatsAsTheTemplate compares the statistics page written in Go,
// layout and scripts included, with the template it replaced: over
// hostile texts in every field (a refilled range as typed, labels, links,
// the chart's JSON), with and without rows, each kind chosen, a bad range
// beside its fields; with plain texts, byte for byte.
func TestStatsAsTheTemplate(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	tmpls, err := parseTemplates(a)
	if err != nil {
		t.Fatal(err)
	}
	rowsHTML := func(rows []statsRow, total statsRow) template.HTML {
		var b bytes.Buffer
		writeStatsRows(&b, rows, total)
		return template.HTML(b.String()) //nolint:gosec // escaped by writeStatsRows, as the page's own
	}
	tp := template.Must(template.Must(tmpls["error"].Clone()).Funcs(template.FuncMap{"statsRowsHTML": rowsHTML}).Parse(statsTemplate))
	head, err := headHTML(a)
	if err != nil {
		t.Fatal(err)
	}
	mark, _ := a.url("favicon.svg")
	sh := shell{head: head, topbar: topbarHTML(mark), assets: a}
	const plain = "2026-03"
	for i, x := range append(slices.Clone(hostile), plain, plain, plain) {
		chart, err := json.Marshal(statsChart{Months: []string{x}, Visits: []int{i}, Satisfaction: []float64{12.5}, Reply: []float64{},
			Categories: []string{x, "执行不规范"}, CategoryCounts: []int{1, 2}})
		if err != nil {
			t.Fatal(err)
		}
		d := statsPage{Filter: store.StatsFilter{From: x, To: x, By: "court", Kind: []string{"daily", "focused", x}[i%3]},
			By: byOptions([]string{"court", "officer", x}[i%3]), GroupLabel: x, ExportURL: "/visit-stats.xlsx?from=" + x,
			Total: statsRow{Visits: 3, ReplyRate: "50.0%", SatisfactionRate: x}, Chart: chart,
			Items: []store.ItemCount{{Category: x, Text: x, Count: i}, {Category: "c", Text: "t"}}}
		if i%2 == 0 {
			d.Rows = []statsRow{{Label: x, Drill: "/visits?court=" + x, Visits: 3, Replied: 1, ReplyRate: "33.3%", SatisfactionRate: x}, {Label: "历下", Drill: "/visits"}}
		}
		var form formState
		if i%4 == 1 {
			form = formState{Values: map[string][]string{"from": {x}, "to": {"2026-13"}}, Errors: map[string]string{"from": x, "to": "月份应写作 2026-01"}}
		}
		p := &page{Title: "回访统计", Error: x, Form: form, Data: d}
		// The template had the chart as template.JS, written as it is.
		tpData := struct {
			statsPage
			Chart template.JS
		}{d, template.JS(chart)} //nolint:gosec // json.Marshal's output, as the page had it
		var want bytes.Buffer
		if err := tp.ExecuteTemplate(&want, "layout", &page{Title: p.Title, Error: p.Error, Form: p.Form, Data: tpData}); err != nil {
			t.Fatal(err)
		}
		parts, ok := goPages["visit_stats"](p)
		if !ok {
			t.Fatal("visit_stats refused its own data")
		}
		var got bytes.Buffer
		sh.writePage(&got, p, parts)
		if w, g := parsed(want.String()), parsed(got.String()); w != g {
			t.Errorf("stats %q:\n got %s\nwant %s", x, g, w)
		}
		if x == plain && got.String() != want.String() {
			t.Errorf("stats %q: not the template's bytes:\n got %q\nwant %q", x, got.String(), want.String())
		}
	}
}

// TestGoPagesScripts: every script a page written in Go names is among
// the assets, so that writePage, which cannot fail, finds its address.
func TestGoPagesScripts(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	for name, gp := range goPages {
		parts, _ := gp(&page{})
		for _, s := range parts.scripts {
			if _, err := a.url(s); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}
