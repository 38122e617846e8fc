# The decision service (aeo serve) as a container image: a static binary
# on an empty base, run as a non-root user, with the programmes mounted
# from a volume.
#
#   docker build -t aeo .
#   docker run --rm -p 127.0.0.1:8080:8080 -v "$PWD/programmes:/programmes:ro" aeo
#
# Inside the container the service listens on all of the container's
# interfaces (its own network namespace); what is reachable from outside
# is what -p publishes, so publish on 127.0.0.1 or set a token. Secrets
# (bearer token, selectivity seed) are mounted as files and named with
# --token-file and --seed-file; the decision log goes to a writable
# volume with --decision-log. The programme files are reloaded when they
# change.

# GO_IMAGE is the build stage's base: any image with Go 1.25 or later and
# a shell. Override it to build from a local or mirrored image.
ARG GO_IMAGE=golang:1.26-bookworm

FROM ${GO_IMAGE} AS build
ARG GOPROXY
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /out/aeo ./cmd/aeo

FROM scratch
COPY --from=build /out/aeo /aeo
# 65532 is the conventional "nonroot" user of distroless images; scratch
# has no user database, so the numeric ID is used.
USER 65532:65532
VOLUME ["/programmes"]
EXPOSE 8080
ENTRYPOINT ["/aeo", "serve", "--addr", "0.0.0.0:8080"]
CMD ["/programmes"]
