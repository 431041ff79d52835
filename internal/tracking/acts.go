package tracking

import (
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// ActKind is the kind of an enforcement act 执行行为, from a fixed
// vocabulary: a stable ASCII code for the API and files, a Chinese label
// for people. Input takes either.
type ActKind string

// The acts the patrol rules read, in the order of a case's course.
const (
	ActNotice           ActKind = "notice"            // 执行通知
	ActReportOrder      ActKind = "report_order"      // 报告财产令
	ActQuery            ActKind = "query"             // 查询 (网络执行查控系统)
	ActInvestigation    ActKind = "investigation"     // 财产调查 (线下调查、现场调查、审计、悬赏…)
	ActFreeze           ActKind = "freeze"            // 冻结
	ActDeduct           ActKind = "deduct"            // 扣划
	ActSeal             ActKind = "seal"              // 查封
	ActDistrain         ActKind = "distrain"          // 扣押
	ActAppraisal        ActKind = "appraisal"         // 评估
	ActAuction          ActKind = "auction"           // 拍卖 (amount: 起拍价)
	ActSale             ActKind = "sale"              // 变卖
	ActInKind           ActKind = "in_kind"           // 以物抵债
	ActRestrictSpending ActKind = "restrict_spending" // 限制消费
	ActBlacklist        ActKind = "blacklist"         // 纳入失信
	ActFine             ActKind = "fine"              // 罚款
	ActDetention        ActKind = "detention"         // 拘留
	ActInterview        ActKind = "interview"         // 约谈申请执行人
	ActFundsIn          ActKind = "funds_in"          // 案款到账
	ActFundsOut         ActKind = "funds_out"         // 案款发放
)

// actLabels holds the vocabulary in order; aliases are other names the
// case systems' exports use for the same act.
var actLabels = []struct {
	kind    ActKind
	label   string
	aliases []string
}{
	{ActNotice, "执行通知", []string{"发出执行通知", "执行通知书"}},
	{ActReportOrder, "报告财产令", []string{"责令报告财产", "财产报告令"}},
	{ActQuery, "查询", []string{"网络查控", "网络查询", "总对总查询", "点对点查询"}},
	{ActInvestigation, "财产调查", []string{"线下调查", "现场调查"}},
	{ActFreeze, "冻结", nil},
	{ActDeduct, "扣划", []string{"划拨"}},
	{ActSeal, "查封", nil},
	{ActDistrain, "扣押", nil},
	{ActAppraisal, "评估", []string{"价格评估", "询价评估"}},
	{ActAuction, "拍卖", []string{"网络司法拍卖", "司法拍卖"}},
	{ActSale, "变卖", nil},
	{ActInKind, "以物抵债", nil},
	{ActRestrictSpending, "限制消费", []string{"限制高消费", "限制消费令"}},
	{ActBlacklist, "纳入失信", []string{"纳入失信被执行人名单", "失信"}},
	{ActFine, "罚款", nil},
	{ActDetention, "拘留", []string{"司法拘留"}},
	{ActInterview, "约谈申请执行人", []string{"约谈", "终本约谈"}},
	{ActFundsIn, "案款到账", []string{"执行款到账"}},
	{ActFundsOut, "案款发放", []string{"执行款发放"}},
}

// ActKinds lists the vocabulary in order.
func ActKinds() []ActKind {
	out := make([]ActKind, len(actLabels))
	for i, a := range actLabels {
		out[i] = a.kind
	}
	return out
}

// Label returns the Chinese name of the act.
func (k ActKind) Label() string {
	for _, a := range actLabels {
		if a.kind == k {
			return a.label
		}
	}
	return string(k)
}

// Valid reports whether k is in the vocabulary.
func (k ActKind) Valid() bool {
	for _, a := range actLabels {
		if a.kind == k {
			return true
		}
	}
	return false
}

// ParseActKind reads an act's kind as its code (freeze), its label (冻结)
// or one of the usual other names (划拨 for 扣划).
func ParseActKind(s string) (ActKind, error) {
	s = strings.TrimSpace(s)
	for _, a := range actLabels {
		if strings.EqualFold(s, string(a.kind)) || s == a.label {
			return a.kind, nil
		}
		for _, al := range a.aliases {
			if s == al {
				return a.kind, nil
			}
		}
	}
	return "", domain.Invalid("kind", "执行行为“"+s+"”不在行为目录中（如查询、冻结、扣划、查封、评估、拍卖、案款到账、案款发放）")
}

// Act is an enforcement act on a case: what was done, on which day, for
// how much (fen; 0 when the act has no amount: for 评估 the appraised
// value, for 拍卖 the starting price 起拍价, for 查封/冻结 the value held).
type Act struct {
	Kind   ActKind
	On     domain.Date
	Amount int64
	Note   string
}

// MaxActs bounds the acts of one case from one source.
const MaxActs = 1000

const maxActNote = 500

// Validate checks an act of a case filed on filedOn.
func (a Act) Validate(filedOn domain.Date) error {
	switch {
	case !a.Kind.Valid():
		return domain.Invalid("kind", "执行行为“"+string(a.Kind)+"”不在行为目录中")
	case a.On.IsZero():
		return domain.Invalid("on", "执行行为“"+a.Kind.Label()+"”缺少日期")
	case !filedOn.IsZero() && a.On.Before(filedOn):
		return domain.Invalid("on", fmt.Sprintf("执行行为“%s”的日期%s早于立案日期%s", a.Kind.Label(), a.On, filedOn))
	case a.Amount < 0:
		return domain.Invalid("amount", "金额不能为负数")
	case len([]rune(a.Note)) > maxActNote:
		return domain.Invalid("note", fmt.Sprintf("备注不超过%d字", maxActNote))
	}
	return nil
}

// ValidateActs checks a case's whole list of acts.
func ValidateActs(acts []Act, filedOn domain.Date) error {
	if len(acts) > MaxActs {
		return domain.Invalid("actions", fmt.Sprintf("一个案件的执行行为不超过%d条", MaxActs))
	}
	for _, a := range acts {
		if err := a.Validate(filedOn); err != nil {
			return err
		}
	}
	return nil
}
