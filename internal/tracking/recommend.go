package tracking

import (
	"errors"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// Addressee is whom the group addresses a recommendation to (seed 一（三）4,
// 综合分析研究，提出相关意见建议): the bureau of the court, which divides it
// into rectification items, or one department, whose responsible person
// answers for it at once.
type Addressee string

// Addressees. The names are stored.
const (
	ToBureau     Addressee = "bureau"     // 执行局
	ToDepartment Addressee = "department" // 执行局内设部门
)

// Label returns the Chinese name of the addressee.
func (a Addressee) Label() string {
	switch a {
	case ToBureau:
		return "执行局"
	case ToDepartment:
		return "部门"
	}
	return string(a)
}

// Recommendation is the group's recommendation, followed through the
// shared rectification object (oversight.SourceRecommendation) to its
// acceptance: the problem, its basis, the recommendation (改进意见建议)
// and the deadline as in a suggestion, and the addressee. For a
// department, the responsible person (a user of that department) gets
// the rectification item at once.
type Recommendation struct {
	oversight.Suggestion
	Aspect       Aspect // what the recommendation is about
	To           Addressee
	DepartmentID int64
	Responsible  int64
}

// Validate checks a recommendation (normalised) made on today.
func (r *Recommendation) Validate(today domain.Date) error {
	r.Normalize()
	fe := domain.FieldErrors{}
	if err := r.Suggestion.Validate(today); err != nil {
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		fe = ve.Fields
	}
	if _, err := ParseAspect(string(r.Aspect)); err != nil {
		fe.Add("aspect", "请选择监督内容")
	}
	switch r.To {
	case ToBureau:
		r.DepartmentID, r.Responsible = 0, 0
	case ToDepartment:
		if r.DepartmentID == 0 {
			fe.Add("department", "请选择部门")
		}
		if r.Responsible == 0 {
			fe.Add("responsible", "请选择该部门的责任人")
		}
	default:
		fe.Add("to", "请选择意见建议的对象：执行局或部门")
	}
	return fe.Err()
}
