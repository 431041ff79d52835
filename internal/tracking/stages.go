package tracking

// Stage groups the steps the leaders' cockpit (package overview) counts
// together, so that its figures and the list they drill down to read the
// same steps.
type Stage string

// The stages.
const (
	StageWaiting Stage = "waiting" // 候选待决定: not yet decided
	StageUnder   Stage = "under"   // 跟踪中: decided to track, not yet closed
)

var stageSteps = map[Stage][]Step{
	StageWaiting: {StepCandidate, StepEvaluated, StepConsulting, StepCoLeaders},
	StageUnder:   {StepTracked, StepTracking},
}

var stageLabels = map[Stage]string{StageWaiting: "候选待决定", StageUnder: "已决定跟踪、尚未结束"}

// Steps are the steps of stage g; none for an unknown stage.
func (g Stage) Steps() []Step { return stageSteps[g] }

// Valid reports whether g is a stage.
func (g Stage) Valid() bool { _, ok := stageSteps[g]; return ok }

// Label is g in Chinese.
func (g Stage) Label() string { return stageLabels[g] }

// DecidedSteps are the steps of a tracking decided to be tracked
// (Step.DecidedToTrack).
var DecidedSteps = []Step{StepTracked, StepTracking, StepClosed}
