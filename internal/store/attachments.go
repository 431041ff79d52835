package store

import (
	"context"
	"fmt"
	"time"
)

// Attachment is a file kept with a record, without its bytes.
type Attachment struct {
	ID          int64
	OwnerKind   string
	OwnerID     int64
	Name        string
	ContentType string
	Size        int64
	SHA256      string
	By          string
	CreatedAt   time.Time
}

const attachmentColumns = "id, owner_kind, owner_id, name, content_type, size, sha256, uploaded_by, created_at"

func scanAttachment(row scanner) (a Attachment, err error) {
	err = row.Scan(&a.ID, &a.OwnerKind, &a.OwnerID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.By, &a.CreatedAt)
	a.CreatedAt = a.CreatedAt.UTC()
	return a, err
}

// attachmentsOf lists the files kept with a record.
func attachmentsOf(ctx context.Context, q querier, kind string, id int64) ([]Attachment, error) {
	out, err := collect(ctx, q, scanAttachment, "SELECT "+attachmentColumns+" FROM attachments WHERE owner_kind = ? AND owner_id = ? ORDER BY id", kind, id)
	if err != nil {
		return nil, fmt.Errorf("listing attachments: %w", err)
	}
	return out, nil
}
