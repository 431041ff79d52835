package tracking

import (
	"errors"
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/visit"
)

// Mode is how the group asked a party (询问案件当事人).
type Mode string

// Modes. The names are stored.
const (
	ModePhone    Mode = "phone"     // 电话询问
	ModeInPerson Mode = "in_person" // 当面询问
)

// Modes lists the modes in display order.
var Modes = []Mode{ModePhone, ModeInPerson}

// Label returns the Chinese name of the mode.
func (m Mode) Label() string {
	switch m {
	case ModePhone:
		return "电话询问"
	case ModeInPerson:
		return "当面询问"
	}
	return string(m)
}

// Interview is the group asking a party of the case about its enforcement
// (seed 一（三）3, 询问案件当事人，了解执行人员是否存在违反纪律作风规定等
// 行为), with the questions and items of 附件3 (visit.Form): whether the
// party is satisfied and, if not, with what.
type Interview struct {
	On      domain.Date
	Mode    Mode
	PartyID int64
	Answers visit.Answers
	Notes   string
}

// MaxNotes is the longest note of an interview, in characters.
const MaxNotes = 5000

// Validate checks an interview held by today, within a group period
// starting on started (zero when unknown), of one of parties (the case's
// party ids).
func (iv *Interview) Validate(today, started domain.Date, parties []int64) error {
	iv.Notes = strings.TrimSpace(iv.Notes)
	iv.Answers.Text = strings.TrimSpace(iv.Answers.Text)
	fe := domain.FieldErrors{}
	checkOn(fe, "on", iv.On, today, started)
	if !slices.Contains(Modes, iv.Mode) {
		fe.Add("mode", "请选择询问方式：电话询问或当面询问")
	}
	if iv.PartyID == 0 || !slices.Contains(parties, iv.PartyID) {
		fe.Add("party", "请选择本案的当事人")
	}
	if err := iv.Answers.Validate(); err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			fe.Add(de.Field, de.Message)
		} else {
			return err
		}
	}
	checkText(fe, "notes", "询问情况", iv.Notes, MaxNotes, true)
	if err := fe.Err(); err != nil {
		return err
	}
	iv.Answers = iv.Answers.Normalize()
	return nil
}

// Aspect is the aspect an interview watches: 纪律作风 when the party
// reports 执行不廉或作风不正 (附件3 category 三), otherwise 当事人和社会反响.
func (iv Interview) Aspect() Aspect {
	if iv.PointsToViolation() {
		return AspectDiscipline
	}
	return AspectResponse
}

// PointsToViolation reports whether the party's answers fall in 附件3
// category 三 (反映执行不廉或作风不正), the category clues come from.
func (iv Interview) PointsToViolation() bool {
	a := iv.Answers.Normalize()
	return slices.Contains(a.Categories, oversight.VisitCategory)
}

// Summary is the record's text: who was asked how, the answer and the
// items named, in 附件3's words.
func (iv Interview) Summary(party string) string {
	var b strings.Builder
	b.WriteString(iv.Mode.Label() + party + "。")
	for _, c := range visit.SatisfactionChoices() {
		if c.No == iv.Answers.Answer() {
			b.WriteString(visit.QuestionSatisfaction + "：" + c.Text + "。")
		}
	}
	a := iv.Answers.Normalize()
	for _, c := range visit.Form() {
		if !slices.Contains(a.Categories, c.Code) {
			continue
		}
		b.WriteString(c.Name)
		var items []string
		for _, it := range c.Items {
			if slices.Contains(a.Items, it.Code) {
				items = append(items, it.Text)
			}
		}
		if len(items) > 0 {
			b.WriteString("：" + strings.Join(items, "、"))
		}
		b.WriteString("。")
	}
	if a.Text != "" {
		b.WriteString("当事人陈述：" + a.Text + "。")
	}
	b.WriteString(iv.Notes)
	return b.String()
}

// VisitOrder is the group ordering a focused return visit (重点回访) of a
// party from an interview's page: the command centre then makes it.
type VisitOrder struct {
	PartyID int64
	Reason  string
}

// Validate checks an order for one of parties.
func (o *VisitOrder) Validate(parties []int64) error {
	o.Reason = strings.TrimSpace(o.Reason)
	fe := domain.FieldErrors{}
	if o.PartyID == 0 || !slices.Contains(parties, o.PartyID) {
		fe.Add("visit_party", "请选择本案的当事人")
	}
	checkText(fe, "visit_reason", "回访理由", o.Reason, 500, true)
	return fe.Err()
}
