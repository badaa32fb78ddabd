package direct

import (
	"database/sql"

	"github.com/asynclint/asynclint/runtime"
)

func query(t *runtime.Task, db *sql.DB) { // want query:"mayBlock\\(query -> \\(\\*database/sql\\.DB\\)\\.Query\\)"
	db.Query("SELECT 1") // want `db.Query blocks the worker thread; use runtime.SpawnBlocking`
}

func exec_(t *runtime.Task, tx *sql.Tx) { // want exec_:"mayBlock\\(exec_ -> \\(\\*database/sql\\.Tx\\)\\.Exec\\)"
	tx.Exec("DELETE FROM t") // want `tx.Exec blocks the worker thread; use runtime.SpawnBlocking`
}

func ping(t *runtime.Task, db *sql.DB) { // want ping:"mayBlock\\(ping -> \\(\\*database/sql\\.DB\\)\\.Ping\\)"
	db.Ping() // want `db.Ping blocks the worker thread; use runtime.SpawnBlocking`
}

func stats(t *runtime.Task, db *sql.DB) sql.DBStats {
	return db.Stats() // in memory
}
