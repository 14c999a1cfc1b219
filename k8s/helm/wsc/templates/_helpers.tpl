{{/*
Expand the name of the chart.
*/}}
{{- define "wsc.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
A default fully qualified app name, truncated at 63 characters (some Kubernetes name fields are limited to that).
If the release name contains the chart name it is used as the full name.
*/}}
{{- define "wsc.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version as used by the chart label.
*/}}
{{- define "wsc.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "wsc.labels" -}}
helm.sh/chart: {{ include "wsc.chart" . }}
{{ include "wsc.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "wsc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wsc.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The name of the service account to use
*/}}
{{- define "wsc.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "wsc.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The Secret holding the access key: the user's own, or the one the chart creates from accessKey.value.
*/}}
{{- define "wsc.secretName" -}}
{{- default (include "wsc.fullname" .) .Values.accessKey.existingSecret }}
{{- end }}

{{/*
Refuses values the chart cannot deploy safely, with a message that says what to set instead.
*/}}
{{- define "wsc.validate" -}}
{{- if and (not .Values.accessKey.existingSecret) (not .Values.accessKey.value) }}
{{- fail "wsc: no access key: set accessKey.existingSecret to the name of a Secret holding it (recommended: kubectl create secret generic wsc --from-literal=access-key=...), or accessKey.value to have the chart create one" }}
{{- end }}
{{- if and .Values.accessKey.existingSecret .Values.accessKey.value }}
{{- fail "wsc: set accessKey.existingSecret or accessKey.value, not both" }}
{{- end }}
{{- range .Values.extraEnv }}
{{- if eq .name "WSC_ACCESS_KEY" }}
{{- fail "wsc: the access key must come from a Secret: set accessKey.existingSecret instead of WSC_ACCESS_KEY in extraEnv" }}
{{- end }}
{{- end }}
{{- if and (eq .Values.broker.type "redis") (not .Values.broker.redis.hosts) }}
{{- fail "wsc: broker.type=redis needs broker.redis.hosts, e.g. redis://redis-master:6379 (the password goes in a Secret: broker.redis.existingSecret)" }}
{{- end }}
{{- if and (eq .Values.broker.type "redis") (eq .Values.broker.redis.mode "sentinel") (not .Values.broker.redis.masterName) }}
{{- fail "wsc: broker.redis.mode=sentinel needs broker.redis.masterName, the name the sentinels monitor the master under (broker.redis.hosts lists the sentinels)" }}
{{- end }}
{{- if and .Values.broker.redis.hosts (regexMatch "://[^/@]*:[^/@]*@" .Values.broker.redis.hosts) }}
{{- fail "wsc: broker.redis.hosts must not carry a password: put it in a Secret and set broker.redis.existingSecret" }}
{{- end }}
{{- if and .Values.config.webhookUrl (not .Values.webhookSecret.existingSecret) }}
{{- fail "wsc: config.webhookUrl needs webhookSecret.existingSecret, a Secret holding the key that signs webhook requests (kubectl create secret generic wsc-webhook --from-literal=webhook-secret=...)" }}
{{- end }}
{{- range .Values.extraEnv }}
{{- if eq .name "WSC_WEBHOOK_SECRET" }}
{{- fail "wsc: the webhook secret must come from a Secret: set webhookSecret.existingSecret instead of WSC_WEBHOOK_SECRET in extraEnv" }}
{{- end }}
{{- end }}
{{- if and (eq .Values.broker.type "memory") (or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled) }}
{{- fail "wsc: replicaCount > 1 (or autoscaling) needs broker.type=redis: the in-memory broker delivers only to subscribers on its own pod" }}
{{- end }}
{{- end }}
