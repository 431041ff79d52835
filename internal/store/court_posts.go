package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
)

// PostHolder is who holds a court's post, if anyone.
type PostHolder struct {
	Post   oversight.Post
	UserID int64 // 0: vacant
	Name   string
	By     string
	At     time.Time
}

// PostCandidate is a member of a court who may hold a post.
type PostCandidate struct {
	UserID int64
	Name   string
	Posts  []oversight.Post // the posts his roles qualify him for
}

// CourtPosts returns every post of the court at code, held or vacant, in
// display order, for a viewer who may see them (oversight.CanSeePosts).
func (db *DB) CourtPosts(ctx context.Context, v domain.Viewer, code string) (*domain.Court, []PostHolder, error) {
	c, err := courtByCode(ctx, db, code)
	if err != nil {
		return nil, nil, err
	}
	if !oversight.CanSeePosts(v, c.Path) {
		return nil, nil, fmt.Errorf("court %s: %w", code, domain.ErrNotFound)
	}
	held := map[oversight.Post]PostHolder{}
	err = each(ctx, db, func(row scanner) error {
		var h PostHolder
		if err := row.Scan(&h.Post, &h.UserID, &h.Name, &h.By, &h.At); err != nil {
			return err
		}
		h.At = h.At.UTC()
		held[h.Post] = h
		return nil
	}, "SELECT p.post, p.user_id, u.name, p.appointed_by, p.appointed_at FROM court_posts p JOIN users u ON u.id = p.user_id WHERE p.court_id = ?", c.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("loading the court's posts: %w", err)
	}
	out := make([]PostHolder, len(oversight.Posts))
	for i, p := range oversight.Posts {
		out[i] = held[p]
		out[i].Post = p
	}
	return c, out, nil
}

// PostCandidates returns the active members of a court who qualify for at
// least one post, for its administrator's form.
func (db *DB) PostCandidates(ctx context.Context, v domain.Viewer, code string) ([]PostCandidate, error) {
	c, err := courtByCode(ctx, db, code)
	if err != nil {
		return nil, err
	}
	if !oversight.CanAppoint(v, c.Path) {
		return nil, fmt.Errorf("court %s: %w", code, domain.ErrNotFound)
	}
	byID := map[int64]*PostCandidate{}
	var order []int64
	err = each(ctx, db, func(row scanner) error {
		var id int64
		var name string
		var role domain.Role
		if err := row.Scan(&id, &name, &role); err != nil {
			return err
		}
		pc := byID[id]
		if pc == nil {
			pc = &PostCandidate{UserID: id, Name: name}
			byID[id] = pc
			order = append(order, id)
		}
		for _, p := range oversight.Posts {
			if p.Role() == role {
				pc.Posts = append(pc.Posts, p)
			}
		}
		return nil
	}, `SELECT u.id, u.name, ur.role FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.court_id = ? AND NOT u.disabled AND ur.role IN ('bureau', 'discipline_group', 'supervision_office') ORDER BY u.name, u.id`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("listing the court's candidates: %w", err)
	}
	out := make([]PostCandidate, len(order))
	for i, id := range order {
		out[i] = *byID[id]
	}
	return out, nil
}

// AppointPost names who holds a court's post, or leaves it vacant (userID
// 0), in a transaction of its own.
func (db *DB) AppointPost(ctx context.Context, v domain.Viewer, code string, post oversight.Post, userID int64) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.AppointPost(ctx, code, post, userID) })
}

// AppointPost names, for tx's viewer (the court's administrator), who
// holds a court's post: an active member of the court with the post's
// role (oversight.CheckHolder); userID 0 leaves it vacant. Audited.
func (tx *Tx) AppointPost(ctx context.Context, code string, post oversight.Post, userID int64) error {
	c, err := courtByCode(ctx, tx, code)
	if err != nil {
		return err
	}
	if !oversight.CanAppoint(tx.v, c.Path) {
		return domain.Errorf(domain.ErrForbidden, "只有本院系统管理员可以指定领导和联络员。")
	}
	if !post.Valid() {
		return domain.Invalid("post", "未知的职务")
	}
	name := "（空缺）"
	if userID == 0 {
		if _, err := tx.exec(ctx, "DELETE FROM court_posts WHERE court_id = ? AND post = ?", c.ID, post); err != nil {
			return fmt.Errorf("vacating a post: %w", err)
		}
	} else {
		u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", userID))
		if errors.Is(err, domain.ErrNotFound) {
			return domain.Invalid("post_"+string(post), post.Label()+"：所选人员不存在")
		} else if err != nil {
			return err
		}
		if err := loadRoles(ctx, tx, u); err != nil {
			return err
		}
		if err := oversight.CheckHolder(post, oversight.Holder{CourtID: u.CourtID, Roles: u.Roles, Disabled: u.Disabled}, c.ID); err != nil {
			return err
		}
		name = u.Name
		if _, err := tx.exec(ctx, `INSERT INTO court_posts (court_id, post, user_id, appointed_by, appointed_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (court_id, post) DO UPDATE SET user_id = excluded.user_id, appointed_by = excluded.appointed_by, appointed_at = excluded.appointed_at`,
			c.ID, post, u.ID, actorName(tx.v), tx.db.now()); err != nil {
			return fmt.Errorf("appointing: %w", translate(err))
		}
	}
	return tx.Audit(ctx, Entry{Action: "court.post", ObjectType: "court", ObjectID: code, CourtPath: c.Path, Success: true,
		Detail: post.Label() + "：" + name})
}

// postHolders returns the active users who hold any of posts at a court.
func postHolders(ctx context.Context, q querier, courtID int64, posts ...oversight.Post) ([]int64, error) {
	if len(posts) == 0 {
		return nil, nil
	}
	args := []any{courtID}
	for _, p := range posts {
		args = append(args, p)
	}
	return collect(ctx, q, scanID, `SELECT DISTINCT p.user_id FROM court_posts p JOIN users u ON u.id = p.user_id
		WHERE p.court_id = ? AND NOT u.disabled AND p.post IN (`+placeholders(len(posts))+") ORDER BY p.user_id", args...)
}

// notifyCase tells the holders of posts at a case's court of a notice about
// the case, leaving out whoever has handled the case as its officer: what
// is about a case never reaches its officer, even as a liaison.
func (tx *Tx) notifyCase(ctx context.Context, caseID, courtID int64, posts []oversight.Post, n oversight.Notice) error {
	to, err := postHolders(ctx, tx, courtID, posts...)
	if err != nil {
		return err
	}
	officers, err := collect(ctx, tx, scanID, "SELECT user_id FROM case_officers WHERE case_id = ?", caseID)
	if err != nil {
		return fmt.Errorf("reading the case's officers: %w", err)
	}
	to = slices.DeleteFunc(to, func(id int64) bool { return slices.Contains(officers, id) })
	if len(to) == 0 {
		return nil
	}
	n.CourtID = courtID
	return tx.Notify(ctx, to, n)
}
