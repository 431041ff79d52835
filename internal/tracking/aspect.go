package tracking

// Aspect is what a tracking record or finding watches, in the seed's four
// words (一、跟踪监督内容): 流程管理, 执行行为规范化, 纪律作风, 当事人和社会反响.
type Aspect string

// The four aspects.
const (
	AspectProcess    Aspect = "process"    // 执行流程管理情况
	AspectActs       Aspect = "acts"       // 执行行为规范化情况
	AspectDiscipline Aspect = "discipline" // 纪律作风情况
	AspectResponse   Aspect = "response"   // 当事人和社会方面反响情况
)

// Aspects lists the aspects in the seed's order.
var Aspects = []Aspect{AspectProcess, AspectActs, AspectDiscipline, AspectResponse}

// Label returns the seed's words for the aspect.
func (a Aspect) Label() string {
	switch a {
	case AspectProcess:
		return "流程管理"
	case AspectActs:
		return "执行行为规范化"
	case AspectDiscipline:
		return "纪律作风"
	case AspectResponse:
		return "当事人和社会反响"
	}
	return string(a)
}
