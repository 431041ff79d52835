package visit

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// The texts of 附件3 (XX 法院执行案件短信回访情况反馈单), in the seed's wording.
// The OCR of the seed shows a half-width ", " in the two questions; the
// original document, SPEC.md §4 and the printed form use the full-width "，",
// which is what is kept here.
const (
	// FormTitle follows the court's name: "XX 法院" + FormTitle.
	FormTitle = "执行案件短信回访情况反馈单"

	QuestionSatisfaction = "案件是否执行完毕，对案件执行过程是否满意"
	QuestionCategories   = "不满意的事项是哪些，请选择，可以选择多项"

	LabelRecorder   = "记录人"
	LabelVisitTime  = "回访时间"
	LabelCaseNo     = "案号"
	LabelParty      = "当事人"
	LabelContact    = "联系方式"
	LabelSMSContent = "短信回访内容"
	LabelSMSReply   = "当事人短信回复情况"
)

// Choice is one printed answer to the satisfaction question.
type Choice struct {
	No   int
	Text string
}

// Answer numbers of the satisfaction question as printed on 附件3.
const (
	AnswerSatisfied    = 1 // 满意
	AnswerDissatisfied = 2 // 不满意
	AnswerNoReply      = 3 // 未回复
)

// SatisfactionChoices returns the printed answers 1、满意 2、不满意 3、未回复.
func SatisfactionChoices() []Choice {
	return []Choice{{1, "满意"}, {2, "不满意"}, {3, "未回复"}}
}

// Category is one of the four kinds of dissatisfaction of 附件3.
//
// Codes are stable and never renumbered: a category is "C" followed by its
// printed number ("C1" … "C4"), an item is its category's code, a dot and the
// item's printed number ("C1.13" is 应移送追究拒执犯罪而未移送). Stored answers
// and statistics use the codes; the texts are only for display.
type Category struct {
	Code    string
	No      int
	Name    string // as listed under 不满意的事项是哪些: 反映消极执行
	Heading string // as the row title of its items: 反映消极执行问题
	Items   []Item
}

// Item is one multiple-choice item of a category.
type Item struct {
	Code string
	No   int
	Text string
}

// Label returns the printed label, e.g. "1、反映消极执行".
func (c Category) Label() string { return fmt.Sprintf("%d、%s", c.No, c.Name) }

// Label returns the printed label, e.g. "13、应移送追究拒执犯罪而未移送".
func (it Item) Label() string { return fmt.Sprintf("%d、%s", it.No, it.Text) }

// formTable is the source of Form; it is never handed out, only copied.
var formTable = []struct {
	name, heading string
	items         []string
}{
	{"反映消极执行", "反映消极执行问题", []string{
		"不受理执行申请",
		"拖延查询被执行人财产信息",
		"拖延查封、扣押、冻结",
		"拖延评估执行财产",
		"拖延拍卖、变卖执行财产",
		"拖延发放执行款物",
		"拖延清退、交付房屋",
		"不纳入失信被执行人名单",
		"不采取罚款、拘留、限制出境及限制高消费等其他执行措施",
		"不通告执行进展",
		"不受理参与分配申请",
		"有财产但终结本次执行程序",
		"应移送追究拒执犯罪而未移送",
	}},
	{"反映执行错误", "反映执行错误", []string{
		"超标的查封、扣押、冻结",
		"低价评估执行财产",
		"低价拍卖、变卖执行财产",
		"违法执行案外人财产",
		"违法中止执行或终结执行",
		"违法纳入失信名单",
		"执行分配存在错误",
		"不及时屏蔽或撤销失信名单",
		"违法采取罚款、拘留、限制出境、限制高消费等措施",
	}},
	{"反映执行不廉或作风不正", "反映执行不廉或作风不正", []string{
		"与当事人存在“三同”问题",
		"接受当事人吃请",
		"索要当事人财物",
		"推诿接待当事人",
		"态度生硬、语言粗暴",
		"其他执行不廉情形",
	}},
	{"反映外部非正常干预问题", "反映外部非正常干预问题", []string{
		"党政机关干预",
		"协助执行单位拒不执行",
		"另案法院消极或违法执行",
		"其他外部问题",
	}},
}

// Form returns the four categories of 附件3 with their items, in printed
// order. Each call returns a fresh copy that the caller may modify.
func Form() []Category {
	out := slices.Clone(builtForm())
	for i := range out {
		out[i].Items = slices.Clone(out[i].Items)
	}
	return out
}

// builtForm is the form built once: the statistics page asks for it on
// every request, and numbering its codes with Sprintf each time was a
// fifth of that page's counting of dissatisfaction (pprof at 100,000
// cases).
var builtForm = sync.OnceValue(func() []Category {
	out := make([]Category, len(formTable))
	for i, c := range formTable {
		cat := Category{Code: fmt.Sprintf("C%d", i+1), No: i + 1, Name: c.name, Heading: c.heading}
		for j, text := range c.items {
			cat.Items = append(cat.Items, Item{Code: fmt.Sprintf("%s.%d", cat.Code, j+1), No: j + 1, Text: text})
		}
		out[i] = cat
	}
	return out
})

// CategoryByCode returns the category with the given code ("C3").
func CategoryByCode(code string) (Category, bool) {
	for _, c := range Form() {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

// CategoryByNo returns the category with the given printed number (1..4).
func CategoryByNo(no int) (Category, bool) {
	if no < 1 || no > len(formTable) {
		return Category{}, false
	}
	return Form()[no-1], true
}

// ItemByCode returns the item with the given code ("C3.1") and its category.
func ItemByCode(code string) (Item, Category, bool) {
	catCode, _, ok := strings.Cut(code, ".")
	if !ok {
		return Item{}, Category{}, false
	}
	c, ok := CategoryByCode(catCode)
	if !ok {
		return Item{}, Category{}, false
	}
	for _, it := range c.Items {
		if it.Code == code {
			return it, c, true
		}
	}
	return Item{}, Category{}, false
}

// MaxAnswerText is the longest free text, in characters, an answer may carry.
const MaxAnswerText = 2000

// Answers is one filled-in 附件3: by SMS link, phone or on-site visit.
//
// Categories and Items hold codes ("C1", "C1.3"). An item implies its
// category: a party who ticks 拖延评估执行财产 need not also tick 反映消极执行,
// so Validate accepts an item whose category is not listed and Normalize adds
// it. Someone who is satisfied, or did not reply, has no dissatisfaction to
// list; free text is allowed in every case.
type Answers struct {
	Satisfied  *bool // nil = no reply (未回复)
	Categories []string
	Items      []string
	Text       string
}

// Validate reports the first problem with a, as an ErrInvalid domain error.
func (a Answers) Validate() error {
	for _, code := range a.Categories {
		if _, ok := CategoryByCode(code); !ok {
			return domain.Invalid("categories", "未知的不满意事项类别："+code)
		}
	}
	for _, code := range a.Items {
		if _, _, ok := ItemByCode(code); !ok {
			return domain.Invalid("items", "未知的不满意事项："+code)
		}
	}
	if (a.Satisfied == nil || *a.Satisfied) && (len(a.Categories) > 0 || len(a.Items) > 0) {
		return domain.Invalid("categories", "当事人满意或未回复时不能选择不满意的事项；如有不满意的事项，请记为“不满意”")
	}
	if !utf8.ValidString(a.Text) {
		return domain.Invalid("text", "文字内容含有无效字符")
	}
	if n := utf8.RuneCountInString(a.Text); n > MaxAnswerText {
		return domain.Invalid("text", fmt.Sprintf("文字内容不能超过 %d 字", MaxAnswerText))
	}
	return nil
}

// Normalize returns a copy of a with the categories implied by its items
// added, and categories and items deduplicated and in printed order.
// Unknown codes are dropped: call Validate first to report them.
func (a Answers) Normalize() Answers {
	out := a
	cats := slices.Clone(a.Categories)
	var items []string
	for _, c := range Form() {
		for _, it := range c.Items {
			if slices.Contains(a.Items, it.Code) {
				items = append(items, it.Code)
				cats = append(cats, c.Code)
			}
		}
	}
	out.Categories = nil
	for _, c := range Form() {
		if slices.Contains(cats, c.Code) {
			out.Categories = append(out.Categories, c.Code)
		}
	}
	out.Items = items
	if a.Satisfied != nil {
		v := *a.Satisfied
		out.Satisfied = &v
	}
	return out
}

// Answer returns the printed answer number: 1 满意, 2 不满意, 3 未回复.
func (a Answers) Answer() int {
	switch {
	case a.Satisfied == nil:
		return AnswerNoReply
	case *a.Satisfied:
		return AnswerSatisfied
	}
	return AnswerDissatisfied
}
