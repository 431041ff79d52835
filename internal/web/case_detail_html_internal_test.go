package web

import (
	"bytes"
	"html/template"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/store"
)

// caseTemplate is case.html's content before writeCase replaced it, with
// the findings partial it included.
const caseTemplate = `{{define "_findings"}}
<table class="table">
  <thead><tr><th>案号</th><th>问题</th><th>方面</th><th>首次发现</th><th>状态</th><th class="col-actions">核实</th></tr></thead>
  <tbody>
  {{findingRowsHTML .Rows .Back .Form}}
  </tbody>
</table>
{{end}}
<nav class="breadcrumb"><a href="/cases">执行案件</a><span class="breadcrumb-sep">›</span><span class="mono">{{.Data.Number}}</span></nav>
<div class="page-head">
  <h1 class="page-title mono">{{.Data.Number}}</h1>
  <p class="page-sub">{{.Data.Court}}
    {{if .Data.Closed}}<span class="badge badge-muted">已结</span>{{else}}<span class="badge badge-info">未结</span>{{end}}
    {{if .Data.Overdue}}<span class="badge badge-danger">超过执行期限</span>{{end}}
    {{range .Data.Flags}}<span class="tag">{{.}}</span> {{end}}
    {{if .Data.Strong}}<a class="badge badge-danger" href="/complaints?case={{.Data.Number}}">当事人反映强烈</a>{{end}}
  </p>
</div>

<section class="card">
  <h2 class="card-title">案件信息</h2>
  <dl class="props">
    <div class="prop"><dt>立案日期</dt><dd>{{.Data.FiledOn}}</dd></div>
    <div class="prop"><dt>承办人</dt><dd>{{or .Data.Officer "—"}}</dd></div>
    <div class="prop"><dt>承办部门</dt><dd>{{or .Data.Department "—"}}</dd></div>
    <div class="prop"><dt>执行标的金额</dt><dd>{{.Data.Amount}} 元</dd></div>
    <div class="prop"><dt>有无财产可供执行</dt><dd>{{.Data.Property}}</dd></div>
    <div class="prop"><dt>案件类别</dt><dd>{{.Data.Kind}}</dd></div>
    <div class="prop"><dt>结案日期</dt><dd>{{or .Data.ClosedOn "—"}}</dd></div>
    <div class="prop"><dt>结案方式</dt><dd>{{or .Data.ClosingMode "—"}}</dd></div>
    <div class="prop"><dt>上级法院督办</dt><dd>{{or .Data.Supervised "—"}}</dd></div>
  </dl>
</section>

<section class="card">
  <div class="card-head"><h2 class="card-title">当事人</h2><span class="card-count">{{len .Data.Parties}} 人</span></div>
  <table class="table table-compact">
    <thead><tr><th>身份</th><th>姓名/名称</th><th>类型</th><th>联系电话</th></tr></thead>
    <tbody>
    {{range .Data.Parties}}
      <tr>
        <td>{{.Role}}</td>
        <td>{{.Name}}</td>
        <td>{{if .Org}}单位{{else}}自然人{{end}}</td>
        <td class="mono">{{if .Revealed}}{{.Revealed}} <span class="badge badge-info">已记录查看</span>{{else if .Masked}}{{.Masked}}
          {{if .CanReveal}}<form class="op-form-inline" method="post" action="/cases/{{$.Data.ID}}/parties/{{.ID}}/phone"><button type="submit" class="btn btn-link">查看完整号码</button></form>{{end}}
          {{else}}<span class="muted">未登记</span>{{end}}</td>
      </tr>
    {{else}}
      <tr><td colspan="4" class="empty">暂无当事人信息</td></tr>
    {{end}}
    </tbody>
  </table>
  {{if .Data.CanReveal}}<p class="hint">完整号码仅在需要时查看；每次查看均记入审计日志。</p>{{end}}
</section>

<section class="card">
  <h2 class="card-title">执行期限</h2>
  {{with .Data.Deadline}}
  <dl class="props">
    <div class="prop"><dt>适用规则</dt><dd>{{.Rule}}</dd></div>
    <div class="prop"><dt>届满日期</dt><dd>{{if .Running}}<span class="badge badge-muted">期限中止计算</span>{{else}}{{.Due}}{{if .Overdue}} <span class="badge badge-danger">已超期</span>{{end}}{{end}}</dd></div>
    <div class="prop"><dt>依据</dt><dd>{{.Basis}}</dd></div>
  </dl>
  <ol class="ledger">{{range .Lines}}<li>{{.}}</li>{{end}}</ol>
  {{else}}
  <p class="muted">该案件不适用执行期限规则。</p>
  {{end}}

  <h3 class="subhead">不计入期限的期间</h3>
  <table class="table table-compact">
    <thead><tr><th>事由</th><th class="col-date">起始</th><th class="col-date">结束</th><th>依据</th></tr></thead>
    <tbody>
    {{range .Data.Pauses}}<tr><td>{{.Kind}}</td><td class="col-date">{{.Start}}</td><td class="col-date">{{if .End}}{{.End}}{{else}}<span class="badge badge-info">进行中</span>{{end}}</td><td>{{.Basis}}</td></tr>
    {{else}}<tr><td colspan="4" class="empty">无</td></tr>{{end}}
    </tbody>
  </table>
  <h3 class="subhead">批准延长</h3>
  <table class="table table-compact">
    <thead><tr><th>延长</th><th class="col-date">批准日期</th><th>依据</th></tr></thead>
    <tbody>
    {{range .Data.Extensions}}<tr><td>{{.Amount}}</td><td class="col-date">{{.ApprovedOn}}</td><td>{{.Basis}}</td></tr>
    {{else}}<tr><td colspan="3" class="empty">无</td></tr>{{end}}
    </tbody>
  </table>
  {{if .Data.CanEditLedger}}
  <div class="ops">
    {{ledgerFormsHTML .Data.ID .Data.PauseKinds $.Form}}
  </div>
  {{end}}
</section>

{{if .Data.CanSupervise}}
<section class="card">
  <h2 class="card-title">上级法院督办</h2>
  <form class="form form-inline" method="post" action="/cases/{{.Data.ID}}/supervise">
    <div class="field"><label for="s-doc">督办文号<span class="req">*</span></label><input id="s-doc" name="doc" type="text" required maxlength="100"></div>
    <div class="field"><label for="s-on">督办日期<span class="req">*</span></label><input id="s-on" name="on" type="date" max="{{.Data.Today}}" required></div>
    <div class="field field-wide"><label for="s-note">督办事项</label><input id="s-note" name="note" type="text" maxlength="500"></div>
    <button type="submit" class="btn">登记督办</button>
  </form>
  <p class="hint">以本院名义督办下级法院的案件；督办的案件列入重点回访。</p>
</section>
{{end}}

{{if .Data.CanFlag}}
<section class="card">
  <h2 class="card-title">重点执行案件标注</h2>
  <form class="form form-inline" method="post" action="/cases/{{.Data.ID}}/flags">
    <label><input type="checkbox" name="social_impact" value="1"{{if .Data.SocialImpact}} checked{{end}}> 有较大社会影响</label>
    <label><input type="checkbox" name="public_opinion" value="1"{{if .Data.PublicOpinion}} checked{{end}}> 可能引发重大舆情</label>
    <button type="submit" class="btn">保存标注</button>
  </form>
  <p class="hint">标注后即列入重点执行案件候选，由执行局综合评估。</p>
</section>
{{end}}

{{if .Data.CanFocus}}
<section class="card">
  <h2 class="card-title">重点回访</h2>
  <form class="form form-inline" method="post" action="/cases/{{.Data.ID}}/focus">
    <div class="field field-wide"><label for="f-note">理由<span class="req">*</span></label><input id="f-note" name="note" type="text" required placeholder="如：当事人多次来电反映执行进展"></div>
    <button type="submit" class="btn">列入重点回访</button>
  </form>
</section>
{{end}}

<section class="card">
  <h2 class="card-title">流程节点</h2>
  <ol class="timeline">
  {{range .Data.Timeline}}
    <li class="timeline-item{{if .Late}} is-late{{end}}{{if .Missing}} is-missing{{end}}">
      <span class="timeline-date">{{or .On "—"}}</span>
      <span class="timeline-kind">{{.Kind}}</span>
      {{if .Late}}<span class="badge badge-danger">超期：{{.Limit}}</span>{{else if .Missing}}<span class="badge badge-danger">未见节点：{{.Limit}}</span>{{else if .Limit}}<span class="muted">{{.Limit}}</span>{{end}}
      {{with .Note}}<span class="muted">{{.}}</span>{{end}}
    </li>
  {{end}}
  </ol>
</section>

<section class="card">
  <div class="card-head"><h2 class="card-title">执行行为</h2><span class="card-count">{{len .Data.Acts}} 条</span></div>
  <table class="table table-compact"><thead><tr><th>日期</th><th>行为</th><th class="col-num">金额（元）</th><th>备注</th></tr></thead><tbody>
  {{range .Data.Acts}}<tr><td>{{.On}}</td><td>{{.Kind}}</td><td class="col-num">{{.Amount}}</td><td>{{.Note}}</td></tr>{{else}}<tr><td colspan="4" class="empty">案件管理系统未报送执行行为。</td></tr>{{end}}
  </tbody></table>
</section>
{{if .Data.ShowFindings}}
<section class="card" id="patrol">
  <div class="card-head"><h2 class="card-title">网上巡查发现的问题</h2><span class="card-count">{{len .Data.Findings}} 项</span></div>
  {{template "_findings" (findingsOf .Data.Findings .Data.Back $.Form)}}
</section>
{{end}}
`

// TestCaseHTMLAsTheTemplate compares writeCase with the template it
// replaced, over hostile texts and every branch: closed and open, with
// and without a time limit, revealed, masked and missing phones, each
// form shown and hidden; with plain texts, byte for byte.
func TestCaseHTMLAsTheTemplate(t *testing.T) {
	tp := template.Must(template.New("case").Funcs(template.FuncMap{"ledgerFormsHTML": ledgerFormsHTML, "findingRowsHTML": findingRowsHTML,
		"findingsOf": func(rows []findingView, back string, form ...formState) map[string]any {
			return map[string]any{"Rows": rows, "Back": back, "Form": form[0]}
		}}).Parse(caseTemplate))
	const plain = "（2024）鲁0102执1号"
	for i, x := range append(slices.Clone(hostile), plain, plain) {
		on := i%2 == 0
		d := caseDetail{ID: int64(i + 1), Number: x, Court: x, FiledOn: x, Officer: x, Department: x, Amount: x, Property: x, Kind: x,
			Closed: on, Overdue: !on, CanReveal: on, CanEditLedger: on, CanFocus: !on, CanSupervise: on, Strong: on, CanFlag: !on,
			SocialImpact: on, PublicOpinion: !on, Today: x, Flags: []string{x, x}, ShowFindings: on, Back: x,
			Parties:    []partyRow{{ID: 7, Role: x, Name: x, Org: on, CanReveal: on, Masked: x}, {ID: 8, Role: x, Name: x, Revealed: x}, {ID: 9, Role: x, Name: x, CanReveal: true}},
			Timeline:   []timelineRow{{Kind: x, On: x, Note: x, Limit: x, Late: true}, {Kind: x, Limit: x, Missing: true}, {Kind: x, On: x, Limit: x}, {Kind: x}},
			Pauses:     []struct{ Kind, Start, End, Basis string }{{x, x, x, x}, {x, x, "", x}},
			Extensions: []struct{ Amount, ApprovedOn, Basis string }{{x, x, x}},
			PauseKinds: []string{x, "中止"}, Acts: []actRow{{x, x, x, x}, {On: x}},
			Findings: []findingView{{StoredFinding: &store.StoredFinding{}, RuleTitle: x, StateLabel: x}}}
		if on {
			d.Deadline = &struct {
				Rule, Due, Basis string
				Running, Overdue bool
				Lines            []string
			}{Rule: x, Due: x, Basis: x, Overdue: true, Lines: []string{x, x}}
		} else {
			d.Supervised, d.ClosedOn, d.ClosingMode = x, x, x
		}
		empty := caseDetail{ID: 3, Number: x, Deadline: d.Deadline, ShowFindings: true}
		if !on {
			empty.Deadline = &struct {
				Rule, Due, Basis string
				Running, Overdue bool
				Lines            []string
			}{Rule: x, Running: true}
		}
		form := formState{}
		for _, d := range []caseDetail{d, empty} {
			var want strings.Builder
			if err := tp.ExecuteTemplate(&want, "case", map[string]any{"Data": d, "Form": form}); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			writeCase(&buf, d, form)
			got := buf.String()
			if w, g := parsed(want.String()), parsed(got); w != g {
				t.Errorf("case %q:\n got %s\nwant %s", x, g, w)
			}
			if x == plain && got != want.String() {
				t.Errorf("case %q: not the template's bytes:\n got %q\nwant %q", x, got, want.String())
			}
		}
	}
}
