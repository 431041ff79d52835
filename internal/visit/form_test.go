package visit

import (
	"errors"
	"slices"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestFormShape(t *testing.T) {
	form := Form()
	wantNames := []string{"反映消极执行", "反映执行错误", "反映执行不廉或作风不正", "反映外部非正常干预问题"}
	wantCounts := []int{13, 9, 6, 4}
	if len(form) != 4 {
		t.Fatalf("%d categories", len(form))
	}
	codes := map[string]bool{}
	for i, c := range form {
		if c.No != i+1 || c.Name != wantNames[i] || len(c.Items) != wantCounts[i] {
			t.Errorf("category %d = %d %s with %d items", i, c.No, c.Name, len(c.Items))
		}
		for j, it := range c.Items {
			if it.No != j+1 || codes[it.Code] {
				t.Errorf("item %s numbered %d", it.Code, it.No)
			}
			codes[it.Code] = true
		}
	}
	form[0].Items[0].Text = "changed"
	form[1].Name = "changed"
	form[2].Items = append(form[2].Items[:1], Item{Text: "changed"})
	if again := Form(); again[0].Items[0].Text != "不受理执行申请" || again[1].Name != "反映执行错误" || again[2].Items[1].Text != "接受当事人吃请" {
		t.Error("Form shares its table with callers")
	}
}

func TestFormWording(t *testing.T) {
	tests := []struct{ code, text, category string }{
		{"C1.1", "不受理执行申请", "反映消极执行"},
		{"C1.9", "不采取罚款、拘留、限制出境及限制高消费等其他执行措施", "反映消极执行"},
		{"C1.13", "应移送追究拒执犯罪而未移送", "反映消极执行"},
		{"C2.1", "超标的查封、扣押、冻结", "反映执行错误"},
		{"C2.9", "违法采取罚款、拘留、限制出境、限制高消费等措施", "反映执行错误"},
		{"C3.1", "与当事人存在“三同”问题", "反映执行不廉或作风不正"},
		{"C3.5", "态度生硬、语言粗暴", "反映执行不廉或作风不正"},
		{"C4.3", "另案法院消极或违法执行", "反映外部非正常干预问题"},
		{"C4.4", "其他外部问题", "反映外部非正常干预问题"},
	}
	for _, tt := range tests {
		it, c, ok := ItemByCode(tt.code)
		if !ok || it.Text != tt.text || c.Name != tt.category {
			t.Errorf("ItemByCode(%s) = %q in %q, %v; want %q in %q", tt.code, it.Text, c.Name, ok, tt.text, tt.category)
		}
	}
	for _, code := range []string{"", "C1", "C1.0", "C1.14", "C5.1", "c1.1", "C1.1.1", "C01.1"} {
		if _, _, ok := ItemByCode(code); ok {
			t.Errorf("ItemByCode(%q) found", code)
		}
	}
	if QuestionSatisfaction != "案件是否执行完毕，对案件执行过程是否满意" || QuestionCategories != "不满意的事项是哪些，请选择，可以选择多项" {
		t.Error("question wording")
	}
	var labels []string
	for _, c := range SatisfactionChoices() {
		labels = append(labels, c.Text)
	}
	if !slices.Equal(labels, []string{"满意", "不满意", "未回复"}) {
		t.Errorf("choices %v", labels)
	}
	c, _ := CategoryByNo(1)
	if c.Label() != "1、反映消极执行" || c.Heading != "反映消极执行问题" || c.Items[12].Label() != "13、应移送追究拒执犯罪而未移送" {
		t.Errorf("labels %q %q %q", c.Label(), c.Heading, c.Items[12].Label())
	}
	if _, ok := CategoryByNo(5); ok {
		t.Error("CategoryByNo(5) found")
	}
}

func TestAnswersValidate(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		a    Answers
		ok   bool
	}{
		{"satisfied", Answers{Satisfied: &yes, Text: "谢谢"}, true},
		{"no reply", Answers{}, true},
		{"dissatisfied, nothing chosen", Answers{Satisfied: &no}, true},
		{"dissatisfied, category", Answers{Satisfied: &no, Categories: []string{"C1", "C4"}}, true},
		{"item implies its category", Answers{Satisfied: &no, Items: []string{"C3.1"}}, true},
		{"item with another category", Answers{Satisfied: &no, Categories: []string{"C1"}, Items: []string{"C2.3"}}, true},
		{"unknown category", Answers{Satisfied: &no, Categories: []string{"C5"}}, false},
		{"unknown item", Answers{Satisfied: &no, Items: []string{"C4.5"}}, false},
		{"satisfied with complaint", Answers{Satisfied: &yes, Items: []string{"C3.3"}}, false},
		{"no reply with category", Answers{Categories: []string{"C1"}}, false},
		{"invalid text", Answers{Satisfied: &no, Text: "\xff"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate()
			if tt.ok && err != nil || !tt.ok && !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestAnswersNormalize(t *testing.T) {
	no := false
	a := Answers{Satisfied: &no, Categories: []string{"C4", "C1", "C4"}, Items: []string{"C3.2", "C1.10", "C3.2"}}
	n := a.Normalize()
	if !slices.Equal(n.Categories, []string{"C1", "C3", "C4"}) || !slices.Equal(n.Items, []string{"C1.10", "C3.2"}) {
		t.Errorf("Normalize = %v %v", n.Categories, n.Items)
	}
	if n.Satisfied == a.Satisfied || *n.Satisfied {
		t.Error("Normalize shares Satisfied")
	}
	if n.Answer() != AnswerDissatisfied || (Answers{}).Answer() != AnswerNoReply {
		t.Error("Answer numbers")
	}
}
