{{- define "silo.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* One release per role; a release named orleans-slm-silo-gpu keeps its name, one named orleans-slm gets orleans-slm-gpu. */}}
{{- define "silo.fullname" -}}
{{- $suffix := printf "-%s" .Values.role -}}
{{- if hasSuffix $suffix .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s%s" .Release.Name $suffix | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "silo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "silo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: silo-{{ .Values.role }}
{{- end -}}

{{- define "silo.labels" -}}
{{ include "silo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: orleans-slm
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "silo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "silo.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "silo.image" -}}
{{- $tag := .Values.image.tag | default (ternary (printf "%s-gpu" .Chart.AppVersion) .Chart.AppVersion (eq .Values.role "gpu")) -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}

{{- define "silo.securityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* Configuration shared by the silo and the migration Job: the README's keys in env form. */}}
{{- define "silo.connectionEnv" -}}
- name: ConnectionStrings__Postgres
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgres.existingSecret }}
      key: {{ .Values.postgres.key }}
{{- end -}}

{{- define "silo.modelCachePath" -}}
{{- .Values.model.cache.mountPath -}}
{{- end -}}
