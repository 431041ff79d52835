package web

import (
	"bytes"
	"strconv"
)

// writeStats writes the statistics page's content (visit_stats.html
// before it) to b; f is the page's form, refilled after a bad range.
// Through html/template its layout and filters were a fifth of the page's
// CPU on PostgreSQL at 1,000,000 cases (pprof), more than its rows.
// TestStatsAsTheTemplate holds it to the template it replaced.
func writeStats(b *bytes.Buffer, d statsPage, f formState) {
	esc := escapeHTML
	b.WriteString(`

<div class="page-head page-head-row">
  <div>
    <h1 class="page-title">回访统计分析</h1>
    <p class="page-sub">` + esc(d.Filter.From) + " 至 " + esc(d.Filter.To) + "，按" + esc(d.GroupLabel) + `统计。点击各行可查看对应的回访。</p>
  </div>
  <a class="btn" href="` + hrefAttr(d.ExportURL) + `">导出 XLSX</a>
</div>
<section class="card">
  <form class="filters" method="get" action="/visit-stats">
    `)
	month := func(name, id, label, example, value string) {
		b.WriteString(`<div class="field` + f.Bad(name) + `"><label for="` + id + `">` + label + `</label><input id="` + id + `" name="` + name +
			`" type="text" lang="zh-CN" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}" placeholder="如 ` + example + `" value="` +
			esc(f.Val(name, value)) + `" ` + string(f.Attrs(name)) + ">" + fieldError(f, name) + "</div>")
	}
	month("from", "s-from", "起始月份", "2026-01", d.Filter.From)
	b.WriteString("\n    ")
	month("to", "s-to", "截止月份", "2026-12", d.Filter.To)
	b.WriteString(`
    <div class="field"><label for="s-by">统计维度</label><select id="s-by" name="by">` + string(optionsHTML(d.By)) + `</select></div>
    <div class="field"><label for="s-kind">类型</label><select id="s-kind" name="kind">
      <option value="">全部</option><option value="daily"`)
	if d.Filter.Kind == "daily" {
		b.WriteString(" selected")
	}
	b.WriteString(`>日常回访</option><option value="focused"`)
	if d.Filter.Kind == "focused" {
		b.WriteString(" selected")
	}
	b.WriteString(`>重点回访</option></select></div>
    <div class="filters-actions"><button type="submit" class="btn btn-primary">统计</button></div>
  </form>
</section>
<section class="card">
  <h2 class="card-title">趋势</h2>
  <div class="chart" id="trend-chart" role="img" aria-label="近期回访数量与满意率趋势"></div>
  <div class="chart chart-small" id="category-chart" role="img" aria-label="不满意事项类别分布"></div>
  <script type="application/json" id="stats-data">`)
	// The chart's JSON as json.Marshal writes it: <, > and & are escaped
	// as \u003c…, so no text in it can close the script element.
	b.Write(d.Chart)
	b.WriteString(`</script>
</section>
<section class="card">
  <h2 class="card-title">分` + esc(d.GroupLabel) + `统计</h2>
  <table class="table table-compact">
    <thead><tr><th>` + esc(d.GroupLabel) + `</th><th class="col-num">回访</th><th class="col-num">短信发送</th><th class="col-num">回复</th><th class="col-num">回复率</th>
      <th class="col-num">满意</th><th class="col-num">不满意</th><th class="col-num">满意率</th><th class="col-num">电话回访</th><th class="col-num">会商</th><th class="col-num">实地回访</th><th class="col-num">已结束</th></tr></thead>
    <tbody>
    `)
	writeStatsRows(b, d.Rows, d.Total)
	b.WriteString(`
    </tbody>
  </table>
</section>
<section class="card">
  <h2 class="card-title">不满意事项（附件3）</h2>
  <table class="table table-compact">
    <thead><tr><th>类别</th><th>事项</th><th class="col-num">次数</th></tr></thead>
    <tbody>
    `)
	for _, it := range d.Items {
		b.WriteString("<tr")
		if it.Count != 0 {
			b.WriteString(` class="row-warn"`)
		}
		b.WriteString("><td>" + esc(it.Category) + "</td><td>" + esc(it.Text) + `</td><td class="col-num">` + strconv.Itoa(it.Count) + "</td></tr>")
	}
	b.WriteString(`
    </tbody>
  </table>
</section>

`)
}

// writeStatsRows writes the statistics table's rows and its total,
// every text escaped: through the template's actions the twelve cells of
// the province's 157 rows were a sixth of the page's CPU (an escaping
// function called by reflection for each, pprof at 1,000,000 cases).
func writeStatsRows(b *bytes.Buffer, rows []statsRow, total statsRow) {
	num := func(n int) {
		b.WriteString(`<td class="col-num">`)
		b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(n), 10))
		b.WriteString("</td>")
	}
	text := func(s string) {
		b.WriteString(`<td class="col-num">`)
		writeEscaped(b, s)
		b.WriteString("</td>")
	}
	cells := func(r statsRow) {
		num(r.Visits)
		num(r.SMSSent)
		num(r.Replied)
		text(r.ReplyRate)
		num(r.Satisfied)
		num(r.Dissatisfied)
		text(r.SatisfactionRate)
		num(r.Phone)
		num(r.Consult)
		num(r.Onsite)
		num(r.Closed)
		b.WriteString("</tr>\n")
	}
	for _, r := range rows {
		b.WriteString(`<tr><td><a href="`)
		writeEscaped(b, r.Drill)
		b.WriteString(`">`)
		writeEscaped(b, r.Label)
		b.WriteString("</a></td>")
		cells(r)
	}
	if len(rows) == 0 {
		b.WriteString(`<tr><td colspan="12" class="empty">所选期间没有回访</td></tr>` + "\n")
	}
	b.WriteString(`<tr class="row-total"><td>合计</td>`)
	cells(total)
}
