package inspection

import (
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// Item is one item of a checklist (督察清单, 评查表): what is checked, the
// points it carries, how points are deducted, and its basis.
type Item struct {
	Title     string
	Points    int
	Deduction string // the deduction rule, e.g. "每发现一件扣2分，扣完为止"
	Basis     string // the rule it rests on
}

// Checklist is one version of a template. Editing a template makes a new
// version; a campaign freezes the version it uses.
type Checklist struct {
	Theme Theme
	Name  string
	Items []Item
}

// Total is the sum of the items' points.
func (c *Checklist) Total() int {
	n := 0
	for _, it := range c.Items {
		n += it.Points
	}
	return n
}

// Validate checks a checklist as the group edits it.
func (c *Checklist) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	fe := domain.FieldErrors{}
	if !c.Theme.Valid() {
		fe.Add("theme", "请选择督察评查内容")
	}
	if c.Name == "" || utf8.RuneCountInString(c.Name) > MaxTitle {
		fe.Add("name", "请填写评查表名称（100字以内）")
	}
	if len(c.Items) == 0 {
		fe.Add("items", "评查表至少应有一项")
	}
	for i := range c.Items {
		it := &c.Items[i]
		it.Title, it.Deduction, it.Basis = strings.TrimSpace(it.Title), strings.TrimSpace(it.Deduction), strings.TrimSpace(it.Basis)
		switch {
		case it.Title == "" || utf8.RuneCountInString(it.Title) > 500:
			fe.Add("items", "每一项都应写明评查内容（500字以内）")
		case it.Points <= 0 || it.Points > 100:
			fe.Add("items", "“"+it.Title+"”的分值应在1至100之间")
		case it.Deduction == "":
			fe.Add("items", "“"+it.Title+"”应写明扣分规则")
		case it.Basis == "":
			fe.Add("items", "“"+it.Title+"”应写明依据")
		}
	}
	return fe.Err()
}

// Bases cited by the shipped checklists. Where an article could be checked
// against the published text it is named; otherwise the document alone.
const (
	basisMoney    = "《最高人民法院关于执行款物管理工作的规定》（法发〔2017〕6号）"
	basisZhongben = "《最高人民法院关于严格规范终结本次执行程序的规定（试行）》（法〔2016〕373号）"
	basisSeed     = "《山东省高级人民法院关于建立四项机制加强执行廉政建设的意见》（鲁高法办〔2021〕8号）"
	basisAnnex1   = basisSeed + "附件1《执行工作人员外出执行情况报告单》"
	basisAnnex3   = basisSeed + "附件3《执行案件短信回访情况反馈单》"
)

// Defaults are the checklists shipped, one per seed theme; the group edits
// them into new versions.
func Defaults() []Checklist {
	return []Checklist{
		{Theme: ThemeMoney, Name: "执行案款管理情况评查表", Items: []Item{
			{"执行款进入执行款专户（案款专户）管理，专项管理、专款专付", 20, "每发现一件未入专户扣5分，扣完为止", basisMoney},
			{"执行款到账后按期完成核算、结算、通知申请执行人领取和发放", 25, "每发现一件超期未发放扣5分，扣完为止", basisMoney},
			{"执行人员不直接收取现金、票据；确需收取的二人以上在场、出具凭证、制作笔录并及时移交财务部门", 20, "每发现一件扣10分，扣完为止", basisMoney},
			{"执行款发放履行审批手续，收付逐案登记、建立台账", 15, "每发现一件手续不全扣3分，扣完为止", basisMoney},
			{"不存在对执行款要提成、回扣等情形", 20, "发现一件即扣20分，并移送问题线索", basisAnnex1 + "第4项"},
		}},
		{Theme: ThemeCampaign, Name: "终结本次执行程序案件评查表", Items: []Item{
			{"已向被执行人发出执行通知、责令被执行人报告财产", 20, "缺一项扣10分", basisZhongben + "第一条第（一）项、第二条"},
			{"已发出限制消费令，并将符合条件的被执行人纳入失信被执行人名单", 20, "缺一项扣10分", basisZhongben + "第一条第（二）项"},
			{"已穷尽财产调查措施，未发现可供执行的财产或发现的财产不能处置", 30, "未穷尽调查措施扣30分", basisZhongben + "第一条第（三）项"},
			{"自执行案件立案之日起已超过三个月", 10, "不满三个月终本扣10分", basisZhongben + "第一条第（四）项"},
			{"被执行人下落不明的已依法查找；妨害执行的已依法采取强制措施", 20, "每缺一项扣10分", basisZhongben + "第一条第（五）项"},
		}},
		{Theme: ThemeDiscipline, Name: "执行干警纪律作风情况督察清单", Items: []Item{
			{"外出执行前部门负责人提出纪律要求，返回后如实填写报告单", 15, "每发现一次未报告或未提出要求扣5分", basisSeed + "四（三）1"},
			{"不与当事人及其诉讼代理人同行、同吃、同住，不由其支付、报销交通、餐饮、住宿相关费用", 15, "发现一次扣15分，并移送问题线索", basisAnnex1 + "第1项"},
			{"不接受有关单位、人员的礼品礼金、土特产、购物卡等财物以及其他形式的服务", 15, "发现一次扣15分，并移送问题线索", basisAnnex1 + "第2项"},
			{"不违规出入私人会所或其他与执行人员身份不符的场所", 10, "发现一次扣10分", basisAnnex1 + "第3项"},
			{"不违规使用公车", 10, "发现一次扣5分", basisAnnex1 + "第5项"},
			{"不借工作之机谋取私利", 10, "发现一次扣10分，并移送问题线索", basisAnnex1 + "第6项"},
			{"不违法执行，行为规范、言语文明", 10, "发现一次扣5分", basisAnnex1 + "第7项"},
			{"不推诿接待当事人，不态度生硬、语言粗暴", 15, "当事人反映经核实一次扣5分", basisAnnex3 + "“反映执行不廉或作风不正”第4、5项"},
		}},
		{Theme: ThemeSafety, Name: "平安建设考评情况督察清单", Items: []Item{
			{"涉执信访及时受理、办理和答复", 30, "每发现一件未及时办理扣5分", basisSeed + "二（二）3"},
			{"当事人回访不满意案件按规定电话回访、会商和实地回访", 30, "每发现一件未按规定回访扣5分", basisSeed + "二（三）"},
			{"不存在拖延查封、扣押、冻结，拖延发放执行款物等消极执行情形", 40, "每发现一件扣5分", basisAnnex3 + "“反映消极执行问题”各项"},
		}},
	}
}

// Grade is a review sheet's verdict.
type Grade string

// Grades.
const (
	GradeExcellent Grade = "excellent" // 优秀
	GradePass      Grade = "pass"      // 合格
	GradeFlaw      Grade = "flaw"      // 瑕疵
	GradeFail      Grade = "fail"      // 不合格
)

// Grades lists the grades from best to worst.
var Grades = []Grade{GradeExcellent, GradePass, GradeFlaw, GradeFail}

// Label is the grade's Chinese name.
func (g Grade) Label() string {
	switch g {
	case GradeExcellent:
		return "优秀"
	case GradePass:
		return "合格"
	case GradeFlaw:
		return "瑕疵"
	case GradeFail:
		return "不合格"
	}
	return string(g)
}

// NeedsRecheck reports whether the leader re-checks a sheet of grade g.
func (g Grade) NeedsRecheck() bool { return g == GradeFlaw || g == GradeFail }

// Thresholds are the lowest scores, in per cent of the checklist's total,
// of 优秀, 合格 and 瑕疵; below Flaw is 不合格.
type Thresholds struct{ Excellent, Pass, Flaw int }

// DefaultThresholds: 90 优秀, 75 合格, 60 瑕疵.
func DefaultThresholds() Thresholds { return Thresholds{Excellent: 90, Pass: 75, Flaw: 60} }

// Validate checks that the thresholds fall from 优秀 to 瑕疵 within 0–100.
func (t Thresholds) Validate() error {
	if !(100 >= t.Excellent && t.Excellent > t.Pass && t.Pass > t.Flaw && t.Flaw > 0) {
		return domain.Invalid("thresholds", "等次分数线应满足 100 ≥ 优秀 > 合格 > 瑕疵 > 0")
	}
	return nil
}

// GradeOf grades score out of total.
func (t Thresholds) GradeOf(score, total int) Grade {
	if total <= 0 {
		return GradeFail
	}
	pct := score * 100 // compared as score/total ≥ x/100 without rounding
	switch {
	case pct >= t.Excellent*total:
		return GradeExcellent
	case pct >= t.Pass*total:
		return GradePass
	case pct >= t.Flaw*total:
		return GradeFlaw
	}
	return GradeFail
}

// Mark is the reviewer's mark on one item of a sheet.
type Mark struct {
	Deduction int
	Note      string
	Evidence  string
}

// Score checks marks against the checklist and returns the score: the
// total less the deductions, each within its item's points, and a note for
// every deduction.
func Score(c *Checklist, marks []Mark) (int, error) {
	if len(marks) != len(c.Items) {
		return 0, domain.Invalid("marks", "请对评查表的每一项评分")
	}
	fe := domain.FieldErrors{}
	score := c.Total()
	for i, m := range marks {
		it := c.Items[i]
		switch {
		case m.Deduction < 0 || m.Deduction > it.Points:
			fe.Add("marks", "“"+it.Title+"”的扣分应在0至该项分值之间")
		case m.Deduction > 0 && strings.TrimSpace(m.Note) == "":
			fe.Add("marks", "“"+it.Title+"”扣分时请写明扣分理由")
		case utf8.RuneCountInString(m.Note) > 2000 || utf8.RuneCountInString(m.Evidence) > 2000:
			fe.Add("marks", "说明和证据均不超过2000字")
		}
		score -= m.Deduction
	}
	return score, fe.Err()
}
