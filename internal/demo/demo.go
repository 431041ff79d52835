// Package demo fills a database with a realistic demo province: the
// Shandong High Court, every intermediate court (with the railway and
// maritime courts) and a few basic courts under each, every one with its
// 执行局 departments, command centre, 纪检监察组 and 监察室 and their staff.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// DefaultPassword is the demo accounts' password unless --password says
// otherwise. It meets the password policy.
const DefaultPassword = "Zhilian@2026"

// BasicPerIntermediate is how many basic courts of each intermediate court
// get staff.
const BasicPerIntermediate = 3

// Account is a demo login to print.
type Account struct {
	Role     domain.Role
	Username string
	Name     string
	Court    string
}

type dept struct {
	name string
	kind domain.DepartmentKind
}

var departments = []dept{
	{"执行指挥中心", domain.DeptCommandCenter},
	{"执行一庭", domain.DeptEnforcement},
	{"执行二庭", domain.DeptEnforcement},
	{"执行局综合办公室", domain.DeptBureauOffice},
	{"派驻纪检监察组", domain.DeptDisciplineGroup},
	{"监察室", domain.DeptSupervisionOffice},
	{"信息技术处", domain.DeptOther},
}

type staff struct {
	key   string // username suffix
	dept  string
	roles []domain.Role
	posts []oversight.Post // the court's posts he holds (组织保障)
}

var staffing = []staff{
	{"bureau", "执行局综合办公室", []domain.Role{domain.RoleBureau}, []oversight.Post{oversight.PostBureauLeader}},
	{"bureau_liaison", "执行局综合办公室", []domain.Role{domain.RoleBureau}, []oversight.Post{oversight.PostBureauLiaison}},
	{"command1", "执行指挥中心", []domain.Role{domain.RoleCommandCenter}, nil},
	{"command2", "执行指挥中心", []domain.Role{domain.RoleCommandCenter}, nil},
	{"head1", "执行一庭", []domain.Role{domain.RoleDeptHead}, nil},
	{"officer1", "执行一庭", []domain.Role{domain.RoleOfficer}, nil},
	{"officer2", "执行一庭", []domain.Role{domain.RoleOfficer}, nil},
	{"head2", "执行二庭", []domain.Role{domain.RoleDeptHead}, nil},
	{"officer3", "执行二庭", []domain.Role{domain.RoleOfficer}, nil},
	{"officer4", "执行二庭", []domain.Role{domain.RoleOfficer}, nil},
	{"discipline", "派驻纪检监察组", []domain.Role{domain.RoleDisciplineGroup}, []oversight.Post{oversight.PostDisciplineLeader}},
	{"discipline_liaison", "派驻纪检监察组", []domain.Role{domain.RoleDisciplineGroup}, []oversight.Post{oversight.PostDisciplineLiaison}},
	{"supervision", "监察室", []domain.Role{domain.RoleSupervisionOffice}, []oversight.Post{oversight.PostSupervisionLiaison}},
	{"admin", "信息技术处", []domain.Role{domain.RoleAdmin}, nil},
	{"security1", "信息技术处", []domain.Role{domain.RoleSecurityAdmin}, nil},
	{"security2", "信息技术处", []domain.Role{domain.RoleSecurityAdmin}, nil},
	{"auditor", "信息技术处", []domain.Role{domain.RoleAuditor}, nil},
}

// Username returns the demo username of a court's staff member: 鲁0102 and
// officer1 give lu0102.officer1.
func Username(courtCode, key string) string {
	return "lu" + strings.TrimPrefix(courtCode, "鲁") + "." + key
}

const (
	surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
	given    = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力健斌波宁鹏飞凯峰浩然宇欣怡晨阳雪琳博涵婷慧东海"
)

// name returns the n-th demo name, deterministic so that runs agree.
func name(n int) string {
	s, g := []rune(surnames), []rune(given)
	a := g[(n*7)%len(g)]
	b := g[(n*13+5)%len(g)]
	if n%3 == 0 {
		return string(s[n%len(s)]) + string(a)
	}
	return string(s[n%len(s)]) + string(a) + string(b)
}

// Courts returns the demo courts: the high court, every intermediate court
// and the first few basic courts of each.
func Courts(all []*domain.Court) []*domain.Court {
	var out []*domain.Court
	perParent := map[string]int{}
	for _, c := range all {
		switch c.Level {
		case domain.LevelHigh, domain.LevelIntermediate:
			out = append(out, c)
		case domain.LevelBasic:
			if perParent[c.ParentCode] < BasicPerIntermediate {
				perParent[c.ParentCode]++
				out = append(out, c)
			}
		}
	}
	return out
}

// Seed adds the demo staff if they are not there yet and makes every demo
// account's password the given one. It is idempotent.
func Seed(ctx context.Context, db *store.DB, log *slog.Logger, password string) error {
	if err := domain.CheckPassword("", "", password); err != nil {
		return fmt.Errorf("demo password: %s", domain.UserMessage(err))
	}
	sys := domain.SystemViewer("demo")
	all, err := db.Courts(ctx, sys)
	if err != nil {
		return err
	}
	courts := Courts(all)
	// One hash for every demo account: hashing a thousand passwords with
	// argon2id would take most of a minute, and these accounts share one
	// password anyway. Real accounts each get their own salt.
	hash := auth.HashPassword(password, auth.DefaultParams)
	_, existing, err := db.UserForLogin(ctx, Username("鲁", "admin"))
	switch {
	case err == nil:
		if ok, _ := auth.CheckPassword(existing, password); !ok {
			if err := resetPasswords(ctx, db, courts, hash); err != nil {
				return err
			}
		}
	case !errors.Is(err, domain.ErrNotFound):
		return err
	}
	// Staff a demo made before new roles were added (the security
	// administrators and the auditor) are added to it.
	have, _, err := db.Users(ctx, sys, store.UserFilter{Page: store.PageReq{All: true}})
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, u := range have {
		known[u.Username] = true
	}
	n, added := 0, 0
	err = db.Update(ctx, sys, func(tx *store.Tx) error {
		for _, c := range courts {
			for _, d := range departments {
				if _, _, err := tx.EnsureDepartment(ctx, c, d.name, d.kind); err != nil {
					return err
				}
			}
			for _, st := range staffing {
				n++
				liaison := slices.ContainsFunc(st.posts, func(p oversight.Post) bool { return slices.Contains(oversight.Liaisons(), p) })
				u := &domain.User{Username: Username(c.Code, st.key), Name: name(n), CourtCode: c.Code, Department: st.dept, Roles: st.roles, Liaison: liaison}
				if known[u.Username] {
					continue
				}
				added++
				if err := tx.CreateUser(ctx, u, hash); err != nil {
					return fmt.Errorf("demo user %s: %w", u.Username, err)
				}
				for _, p := range st.posts {
					if err := tx.AppointPost(ctx, c.Code, p, u.ID); err != nil {
						return fmt.Errorf("demo post %s %s: %w", c.Code, p, err)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if added > 0 {
		log.Info("demo staff added", "courts", len(courts), "users", added)
	}
	return nil
}

func resetPasswords(ctx context.Context, db *store.DB, courts []*domain.Court, hash string) error {
	var names []string
	for _, c := range courts {
		for _, st := range staffing {
			names = append(names, Username(c.Code, st.key))
		}
	}
	return db.Update(ctx, domain.SystemViewer("demo"), func(tx *store.Tx) error {
		return tx.SetDemoPasswords(ctx, names, hash)
	})
}

// Accounts returns one account per role to print at start: the staff of
// 济南市历下区人民法院 and the High Court's administrator and watchdogs.
func Accounts(ctx context.Context, db *store.DB) ([]Account, error) {
	picks := []struct {
		court, key string
	}{
		{"鲁0102", "officer1"}, {"鲁0102", "head1"}, {"鲁0102", "command1"}, {"鲁0102", "bureau"},
		{"鲁0102", "discipline"}, {"鲁0102", "supervision"}, {"鲁", "admin"},
		{"鲁", "security1"}, {"鲁", "security2"}, {"鲁", "auditor"},
		{"鲁01", "bureau"}, {"鲁", "discipline"},
	}
	var out []Account
	for _, p := range picks {
		u, _, err := db.UserForLogin(ctx, Username(p.court, p.key))
		if err != nil {
			return nil, fmt.Errorf("demo account %s: %w", Username(p.court, p.key), err)
		}
		out = append(out, Account{Role: u.Roles[0], Username: u.Username, Name: u.Name, Court: u.CourtName})
	}
	return out, nil
}
