// monis.app/mlog, the webhook's logging library, is served from a module host
// this machine cannot reach; this is the part of its API the webhook uses, over
// the standard library's log/slog. Only logging: the webhook's code is upstream's.
module monis.app/mlog

go 1.26.0

require github.com/go-logr/logr v1.4.2
