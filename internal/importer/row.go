package importer

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// RowError is a problem with one row of the file. A Fatal error means the
// row was rejected; otherwise the row was imported without the bad value.
type RowError struct {
	Row     int // 1-based line (CSV) or row (XLSX) in the file; the header is usually 1
	Column  string
	Value   string
	Message string
	Fatal   bool
}

// maxShownValue bounds the value kept in a RowError, so that a file full
// of bad megabyte cells cannot fill memory with its error report.
const maxShownValue = 100

// rowBuilder turns the cells of one row into a case.
type rowBuilder struct {
	cols    *columnSet
	caseNos domain.CaseNoReader
	row     int
	cells   []string
	errs    []RowError
}

// cell returns the cleaned value of f, or "" if the column is absent.
func (b *rowBuilder) cell(f field) string {
	i := b.cols.index[f]
	if i < 0 || i >= len(b.cells) {
		return ""
	}
	return cleanCell(b.cells[i])
}

func (b *rowBuilder) fail(f field, value, msg string, fatal bool) {
	if utf8.RuneCountInString(value) > maxShownValue {
		value = string([]rune(value)[:maxShownValue]) + "…"
	}
	b.errs = append(b.errs, RowError{Row: b.row, Column: b.cols.header[f], Value: value, Message: msg, Fatal: fatal})
}

// build reads the row. It returns nil if the row is rejected; errs holds
// every problem found, fatal or not, so that one pass fixes the row.
func (b *rowBuilder) build() (*domain.Case, []RowError) {
	c := &domain.Case{}
	rejected := false

	raw := b.cell(fCaseNo)
	no, err := b.caseNos.Parse(raw)
	if err != nil {
		b.fail(fCaseNo, raw, domain.UserMessage(err), true)
		rejected = true
	} else {
		c.No, c.Number, c.CourtCode = no, no.String(), no.Court
	}

	if b.cols.index[fFiledOn] >= 0 {
		raw := b.cell(fFiledOn)
		d, err := parseDate(raw)
		switch {
		case err != nil:
			b.fail(fFiledOn, raw, err.Error(), true)
			rejected = true
		case d.IsZero():
			b.fail(fFiledOn, raw, "立案日期为空", true)
			rejected = true
		}
		c.FiledOn = d
	}

	c.Officer = b.cell(fOfficer)
	c.Department = b.cell(fDepartment)
	c.ClosingMode = b.cell(fClosingMode)
	c.SupervisedBy = b.cell(fSupervisedBy)

	if raw := b.cell(fAmount); raw != "" {
		fen, err := parseAmount(raw, b.cols.unit[fAmount])
		if err != nil {
			b.fail(fAmount, raw, domain.UserMessage(err), false)
		}
		c.Amount = fen
	}
	c.HasProperty, c.PropertyKnown = b.yesNo(fHasProperty)
	c.NonLitigation, _ = b.yesNo(fNonLitigation)
	c.Petition, _ = b.yesNo(fPetition)
	c.PublicOpinion, _ = b.yesNo(fPublicOpinion)
	c.SocialImpact, _ = b.yesNo(fSocialImpact)

	c.ClosedOn = b.date(fClosedOn)
	// A closing before the filing, or a number of another year than the
	// filing, is a wrong row: refused whole, not imported half right
	// (issue 13, point 16).
	if !c.ClosedOn.IsZero() && !c.FiledOn.IsZero() && c.ClosedOn.Before(c.FiledOn) {
		b.fail(fClosedOn, c.ClosedOn.String(), fmt.Sprintf("结案日期早于立案日期%s", c.FiledOn), true)
		rejected = true
	}
	if err := domain.CheckFilingYear(c.No, c.FiledOn); err != nil && c.Number != "" {
		b.fail(fFiledOn, c.FiledOn.String(), domain.UserMessage(err), true)
		rejected = true
	}
	c.SupervisedSince = b.date(fSupervisedSince)

	c.Parties = append(b.parties(domain.Applicant, fApplicant, fApplicantPhone), b.parties(domain.Respondent, fRespondent, fRespondentPhone)...)

	if rejected {
		return nil, b.errs
	}
	return c, b.errs
}

// date reads an optional date; a bad one is reported and left out.
func (b *rowBuilder) date(f field) domain.Date {
	raw := b.cell(f)
	d, err := parseDate(raw)
	if err != nil {
		b.fail(f, raw, err.Error(), false)
	}
	return d
}

func (b *rowBuilder) yesNo(f field) (val, known bool) {
	raw := b.cell(f)
	val, known, err := parseYesNo(raw)
	if err != nil {
		b.fail(f, raw, err.Error(), false)
	}
	return val, known
}

// parties pairs the names in the name column with the phones in the phone
// column by position. A bad phone is reported and dropped; the party stays.
func (b *rowBuilder) parties(role domain.PartyRole, nameF, phoneF field) []domain.Party {
	names := splitList(b.cell(nameF))
	phones := splitList(b.cell(phoneF))
	var out []domain.Party
	for i, name := range names {
		p := domain.Party{Role: role, Name: name, Org: isOrg(name)}
		if i < len(phones) && phones[i] != "" {
			m, err := domain.NormalizeMobile(phones[i])
			switch {
			case name == "":
				b.fail(phoneF, phones[i], fmt.Sprintf("第%d个电话没有对应的%s，已忽略", i+1, role.Label()), false)
			case err != nil:
				b.fail(phoneF, phones[i], domain.UserMessage(err)+"；已导入当事人“"+name+"”，未保存该号码", false)
			default:
				p.Phone = m
			}
		}
		if name != "" {
			out = append(out, p)
		}
	}
	for i := len(names); i < len(phones); i++ {
		if phones[i] != "" {
			b.fail(phoneF, phones[i], fmt.Sprintf("第%d个电话没有对应的%s（%s列只有%d个名称），已忽略", i+1, role.Label(), b.cols.header[nameF], len(names)), false)
		}
	}
	return out
}

// orgWords mark a party as an organisation rather than a natural person.
var orgWords = []string{
	"公司", "银行", "集团", "有限", "合伙", "合作社", "信用社", "中心", "委员会", "政府",
	"事务所", "研究所", "研究院", "学校", "学院", "大学", "医院", "商行", "商店", "门市",
	"经营部", "协会", "基金会", "支行", "分行", "工厂", "农场", "林场", "酒店", "宾馆",
	"管理局", "办事处", "工作室", "个体工商户", "超市", "Ltd", "LTD", "Co.", "Inc",
}

// isOrg guesses from the name whether a party is an organisation: the case
// systems' exports do not say, and a wrong guess only affects display.
func isOrg(name string) bool {
	if n := len(name); n <= 9 && n%3 == 0 && !strings.ContainsFunc(name, func(r rune) bool { return r < utf8.RuneSelf }) {
		return false // up to three Chinese characters: a person's name
	}
	for _, w := range orgWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	if utf8.RuneCountInString(name) >= 4 {
		last, _ := utf8.DecodeLastRuneInString(name)
		return strings.ContainsRune("厂店局社所院站部馆场行司处", last)
	}
	return false
}
