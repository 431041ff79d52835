package domain

import "testing"

func TestMatchOfficer(t *testing.T) {
	one := []OfficerAccount{{UserID: 1, Department: "一庭"}}
	two := []OfficerAccount{{UserID: 1, Department: "一庭"}, {UserID: 2, Department: "二庭"}}
	twoInDept := []OfficerAccount{{UserID: 1, Department: "一庭"}, {UserID: 2, Department: "一庭"}}
	tests := []struct {
		name     string
		accounts []OfficerAccount
		dept     string
		mapped   int64
		want     int64
	}{
		{"no account", nil, "一庭", 0, 0},
		{"one in the court, any department", one, "三庭", 0, 1},
		{"one in the court, case without department", one, "", 0, 1},
		{"names repeat: the department decides", two, "二庭", 0, 2},
		{"names repeat, other department: none", two, "三庭", 0, 0},
		{"names repeat, case without department: none", two, "", 0, 0},
		{"two of the name in the department: none", twoInDept, "一庭", 0, 0},
		{"the administrator's mapping wins", two, "二庭", 7, 7},
		{"a mapping where no account matches", nil, "", 7, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MatchOfficer(tt.accounts, tt.dept, tt.mapped); got != tt.want {
				t.Errorf("MatchOfficer = %d, want %d", got, tt.want)
			}
		})
	}
}
