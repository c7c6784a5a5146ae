// Package mlog writes the webhook's logs as JSON lines on stderr through log/slog,
// with mlog's levels: unset (warnings and errors), info, debug, trace and all.
package mlog

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/go-logr/logr"
)

type LogLevel string

type LogFormat string

const (
	LevelWarning LogLevel = ""
	LevelInfo    LogLevel = "info"
	LevelDebug   LogLevel = "debug"
	LevelTrace   LogLevel = "trace"
	LevelAll     LogLevel = "all"

	FormatJSON LogFormat = "json"
)

type LogSpec struct {
	Level  LogLevel
	Format LogFormat
}

// How verbose each level is, in slog's terms (lower logs more).
var slogLevels = map[LogLevel]slog.Level{
	LevelWarning: slog.LevelWarn,
	LevelInfo:    slog.LevelInfo,
	LevelDebug:   slog.LevelDebug,
	LevelTrace:   slog.LevelDebug - 4,
	LevelAll:     slog.LevelDebug - 8,
}

var threshold = new(slog.LevelVar)

var handler slog.Handler = slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: threshold})

// ValidateAndSetLogLevelAndFormatGlobally sets the level every logger logs at.
func ValidateAndSetLogLevelAndFormatGlobally(_ context.Context, spec LogSpec) error {
	level, ok := slogLevels[spec.Level]
	if !ok {
		return fmt.Errorf("invalid log level %q", spec.Level)
	}
	if spec.Format != FormatJSON && spec.Format != "" {
		return fmt.Errorf("invalid log format %q", spec.Format)
	}
	threshold.Set(level)
	return nil
}

// Enabled says whether messages of the level are logged.
func Enabled(level LogLevel) bool {
	return slogLevels[level] >= threshold.Level()
}

// Setup returns what flushes the logs at exit: nothing, as slog writes at once.
func Setup() func() { return func() {} }

// Logr is the logger controller-runtime takes.
func Logr() logr.Logger { return logr.FromSlogHandler(handler) }

type Logger struct{ logger *slog.Logger }

func New() Logger { return Logger{slog.New(handler)} }

func (l Logger) WithName(name string) Logger { return Logger{l.logger.WithGroup(name)} }

func (l Logger) WithValues(keysAndValues ...any) Logger { return Logger{l.logger.With(keysAndValues...)} }

func (l Logger) Info(msg string, keysAndValues ...any) { l.logger.Info(msg, keysAndValues...) }

func (l Logger) Error(msg string, err error, keysAndValues ...any) {
	l.logger.Error(msg, append([]any{"error", err}, keysAndValues...)...)
}

// Fatal logs the error and exits non-zero.
func Fatal(err error) {
	New().Error("fatal", err)
	os.Exit(1)
}
