package domain

// OfficerAccount is an enabled account whose name equals an officer name
// in the case data, in the case's court.
type OfficerAccount struct {
	UserID     int64
	Department string // the account's department's name
}

// MatchOfficer decides which account a case's 承办人 is: the account the
// administrator mapped the name to, if any (mapped, 0 for none); else the
// one account of that name in the case's department (dept, by name as the
// case data writes it, so that a department created after the import
// counts) when names repeat in the court; else the one account of that name in the court.
// Otherwise, no account or several with none in the department, it
// returns 0 and the case keeps the name only.
func MatchOfficer(accounts []OfficerAccount, dept string, mapped int64) int64 {
	if mapped != 0 {
		return mapped
	}
	var inDept []int64
	for _, a := range accounts {
		if dept != "" && a.Department == dept {
			inDept = append(inDept, a.UserID)
		}
	}
	switch {
	case len(inDept) == 1:
		return inDept[0]
	case len(accounts) == 1:
		return accounts[0].UserID
	}
	return 0
}
