import { describe, expect, it } from 'vitest';
import { formatReference, formatRepository, InvalidReferenceError } from './reference';
import { readReferenceInput, shellWords, type InputTarget } from './reference-input';

const D = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** The target in one comparable line: "image docker.io/library/alpine:3 [linux/arm64] (command)". */
function describe_(target: InputTarget): string {
  switch (target.kind) {
    case 'image':
      return `image ${formatReference(target.ref)}${target.platform ? ` [${target.platform}]` : ''} (${target.source})`;
    case 'repository':
      return `repository ${formatRepository(target.repo)} (${target.source})`;
    case 'blob':
    case 'referrers':
      return `${target.kind} ${formatRepository(target.repo)}@${target.digest} (${target.source})`;
    case 'link':
      return `link ${target.path}`;
  }
}

describe('readReferenceInput', () => {
  it.each<[string, string]>([
    // References as they are.
    ['alpine', 'image docker.io/library/alpine:latest (reference)'],
    ['  alpine:3  ', 'image docker.io/library/alpine:3 (reference)'],
    [`alpine@${D}`, `image docker.io/library/alpine@${D} (reference)`],
    [`ghcr.io/iximiuz/labs/oci/cli:v1@${D}`, `image ghcr.io/iximiuz/labs/oci/cli:v1@${D} (reference)`],
    ['"quay.io/a/b:1"', 'image quay.io/a/b:1 (reference)'],
    ['`alpine:3`', 'image docker.io/library/alpine:3 (reference)'],
    ['docker://quay.io/a/b:1', 'image quay.io/a/b:1 (command)'],
    // Pull commands, with a prompt, sudo, flags, platforms.
    ['docker pull alpine:3', 'image docker.io/library/alpine:3 (command)'],
    ['$ docker pull alpine:3', 'image docker.io/library/alpine:3 (command)'],
    ['sudo docker pull -q alpine', 'image docker.io/library/alpine:latest (command)'],
    ['docker pull --platform linux/arm64 alpine:3', 'image docker.io/library/alpine:3 [linux/arm64] (command)'],
    ['docker pull --platform=linux/arm/v7 alpine:3', 'image docker.io/library/alpine:3 [linux/arm/v7] (command)'],
    ['docker pull alpine:3 --platform linux/arm64', 'image docker.io/library/alpine:3 [linux/arm64] (command)'],
    ['docker image pull --disable-content-trust nginx:1.27', 'image docker.io/library/nginx:1.27 (command)'],
    ['docker pull -a alpine', 'repository docker.io/library/alpine (command)'],
    ['docker pull --all-tags alpine', 'repository docker.io/library/alpine (command)'],
    ['podman pull docker.io/library/alpine', 'image docker.io/library/alpine:latest (command)'],
    ['podman pull --arch arm64 quay.io/a/b:1', 'image quay.io/a/b:1 [linux/arm64] (command)'],
    ['podman pull --os linux --arch arm --variant v7 quay.io/a/b:1', 'image quay.io/a/b:1 [linux/arm/v7] (command)'],
    ['podman pull --creds user:pass --tls-verify=false localhost:5000/x:1', 'image localhost:5000/x:1 (command)'],
    ['nerdctl pull ghcr.io/a/b:v2', 'image ghcr.io/a/b:v2 (command)'],
    ['ctr image pull docker.io/library/redis:7', 'image docker.io/library/redis:7 (command)'],
    ['ctr images pull --platform linux/amd64 docker.io/library/redis:7', 'image docker.io/library/redis:7 [linux/amd64] (command)'],
    // Run commands: options end at the image; the container's own arguments are not read.
    ['docker run --rm -it alpine:3 sh -c "echo hi"', 'image docker.io/library/alpine:3 (command)'],
    ['docker run -d -p 8080:80 --name web -e A=b -v /x:/y nginx', 'image docker.io/library/nginx:latest (command)'],
    ['docker run -dp 8080:80 nginx:1.27', 'image docker.io/library/nginx:1.27 (command)'],
    ['docker run -p8080:80 nginx', 'image docker.io/library/nginx:latest (command)'],
    ['docker run --platform linux/arm64 alpine uname -m --platform x', 'image docker.io/library/alpine:latest [linux/arm64] (command)'],
    ['podman run --rm quay.io/a/b:1 --version', 'image quay.io/a/b:1 (command)'],
    // Inspectors.
    ['skopeo inspect --raw docker://quay.io/a/b:1', 'image quay.io/a/b:1 (command)'],
    ['skopeo copy docker://quay.io/a/b:1 dir:/tmp/b', 'image quay.io/a/b:1 (command)'],
    ['crane manifest alpine:3', 'image docker.io/library/alpine:3 (command)'],
    ['crane digest gcr.io/distroless/static', 'image gcr.io/distroless/static:latest (command)'],
    ['crane ls ghcr.io/a/b', 'repository ghcr.io/a/b (command)'],
    ['regctl tag ls ghcr.io/a/b', 'repository ghcr.io/a/b (command)'],
    ['regctl manifest get ghcr.io/a/b:1', 'image ghcr.io/a/b:1 (command)'],
    ['oras manifest fetch ghcr.io/a/b:1', 'image ghcr.io/a/b:1 (command)'],
    ['docker buildx imagetools inspect alpine:3', 'image docker.io/library/alpine:3 (command)'],
    ['docker manifest inspect alpine', 'image docker.io/library/alpine:latest (command)'],
    [`cosign verify ghcr.io/a/b@${D}`, `image ghcr.io/a/b@${D} (command)`],
    ['helm pull oci://ghcr.io/a/charts/web --version 1.2.3+build.4', 'image ghcr.io/a/charts/web:1.2.3_build.4 (command)'],
    ['docker pull \\\n  --platform linux/arm64 \\\n  alpine:3', 'image docker.io/library/alpine:3 [linux/arm64] (command)'],
    ['docker pull alpine:3 # the small one', 'image docker.io/library/alpine:3 (command)'],
    // Dockerfiles and manifests.
    ['FROM alpine:3.20', 'image docker.io/library/alpine:3.20 (dockerfile)'],
    ['from --platform=linux/arm64 golang:1.23 AS build', 'image docker.io/library/golang:1.23 [linux/arm64] (dockerfile)'],
    ['FROM --platform=$BUILDPLATFORM golang:1.23 AS build', 'image docker.io/library/golang:1.23 (dockerfile)'],
    ['image: nginx:1.27', 'image docker.io/library/nginx:1.27 (manifest-file)'],
    ['  - image: "ghcr.io/a/b:v1"', 'image ghcr.io/a/b:v1 (manifest-file)'],
    ['image:latest', 'image docker.io/library/image:latest (reference)'],
    // Docker Hub pages.
    ['https://hub.docker.com/_/alpine', 'repository docker.io/library/alpine (docker-hub)'],
    ['https://hub.docker.com/_/alpine/tags?name=3.20', 'repository docker.io/library/alpine (docker-hub)'],
    ['https://hub.docker.com/r/bitnami/redis', 'repository docker.io/bitnami/redis (docker-hub)'],
    ['https://hub.docker.com/r/bitnami/redis/tags', 'repository docker.io/bitnami/redis (docker-hub)'],
    [
      `https://hub.docker.com/layers/library/alpine/3.20/images/${D.replace(':', '-')}?context=explore`,
      `image docker.io/library/alpine:3.20@${D} (docker-hub)`,
    ],
    ['https://hub.docker.com/layers/bitnami/redis/7.2/images', 'image docker.io/bitnami/redis:7.2 (docker-hub)'],
    ['https://hub.docker.com/repository/docker/me/app/general', 'repository docker.io/me/app (docker-hub)'],
    ['https://hub.docker.com/repository/docker/me/app/tags/v1', 'image docker.io/me/app:v1 (docker-hub)'],
    // GitHub Packages and ghcr.io.
    ['https://github.com/iximiuz/labs/pkgs/container/labs%2Foci%2Fcli', 'repository ghcr.io/iximiuz/labs/oci/cli (github)'],
    ['https://github.com/iximiuz/labs/pkgs/container/labs%2Foci%2Fcli/123456?tag=v1', 'image ghcr.io/iximiuz/labs/oci/cli:v1 (github)'],
    ['https://github.com/users/Someone/packages/container/package/tool', 'repository ghcr.io/someone/tool (github)'],
    ['https://github.com/orgs/acme/packages/container/package/api?tag=2.0', 'image ghcr.io/acme/api:2.0 (github)'],
    ['https://ghcr.io/iximiuz/labs/oci/cli:v1', 'image ghcr.io/iximiuz/labs/oci/cli:v1 (registry-url)'],
    ['https://ghcr.io/iximiuz/labs/oci/cli', 'repository ghcr.io/iximiuz/labs/oci/cli (registry-url)'],
    [`https://ghcr.io/a/b@${D}`, `image ghcr.io/a/b@${D} (registry-url)`],
    // Quay, consoles.
    ['https://quay.io/repository/openshift-examples/multi-arch?tab=tags', 'repository quay.io/openshift-examples/multi-arch (quay)'],
    [
      'https://quay.io/repository/openshift-examples/multi-arch?tab=tags&tag=kcdmunich2023',
      'image quay.io/openshift-examples/multi-arch:kcdmunich2023 (quay)',
    ],
    [`https://quay.io/repository/a/b/manifest/${D}`, `image quay.io/a/b@${D} (quay)`],
    [
      'https://console.cloud.google.com/artifacts/docker/proj/us-central1/repo/app',
      'repository us-central1-docker.pkg.dev/proj/repo/app (console)',
    ],
    ['https://gallery.ecr.aws/nginx/nginx', 'repository public.ecr.aws/nginx/nginx (console)'],
    ['https://mcr.microsoft.com/en-us/artifact/mar/dotnet/runtime', 'repository mcr.microsoft.com/dotnet/runtime (console)'],
    // Registry API URLs out of curl transcripts.
    ['https://registry-1.docker.io/v2/library/alpine/manifests/3.20', 'image docker.io/library/alpine:3.20 (registry-api)'],
    [`https://ghcr.io/v2/a/b/manifests/${D}`, `image ghcr.io/a/b@${D} (registry-api)`],
    [`http://localhost:5000/v2/x/y/blobs/${D}`, `blob localhost:5000/x/y@${D} (registry-api)`],
    [`https://ghcr.io/v2/a/b/referrers/${D}`, `referrers ghcr.io/a/b@${D} (registry-api)`],
    ['https://quay.io/v2/a/b/tags/list', 'repository quay.io/a/b (registry-api)'],
    // Explorer links keep their own view.
    ['https://explore.ggcr.dev/?image=alpine:3', 'link /?image=alpine:3'],
    [`https://oci.dag.dev/fs/library/alpine@${D}/etc/`, `link /fs/library/alpine@${D}/etc/`],
    ['http://127.0.0.1:8080/?repo=ghcr.io/a/b', 'link /?repo=ghcr.io/a/b'],
  ])('%j → %s', (input, expected) => {
    expect(describe_(readReferenceInput(input))).toBe(expected);
  });

  it.each<[string, RegExp]>([
    ['', /paste an image reference/],
    ['   ', /paste an image reference/],
    ['docker pull', /names no image/],
    ['docker pull --platform linux/arm64', /names no image/],
    ['FROM scratch', /empty filesystem/],
    ['FROM ${BASE_IMAGE}', /build argument/],
    ['kubectl get pods', /"kubectl" is not a command ociscope knows/],
    ['https://hub.docker.com/search?q=alpine', /does not name an image/],
    ['https://ghcr.io/', /no repository/],
    ['ftp://example.com/x', /remove the "ftp:\/\/" prefix/],
    ['https://exa mple.com/x', /not a valid one/],
    ['docker pull Alpine', /uppercase|lowercase/i],
    ['docker pull alpine@sha256:abc', /sha256/],
  ])('refuses %j, saying why', (input, message) => {
    expect(() => readReferenceInput(input)).toThrow(InvalidReferenceError);
    expect(() => readReferenceInput(input)).toThrow(message);
  });
});

describe('shellWords', () => {
  it.each<[string, string[]]>([
    ['a b  c', ['a', 'b', 'c']],
    [`a "b c" 'd e'`, ['a', 'b c', 'd e']],
    ['a\\ b', ['a b']],
    ['a \\\n b', ['a', 'b']],
    ['a "b \\"c\\""', ['a', 'b "c"']],
    ['a # comment', ['a']],
    ['a#b', ['a#b']],
    ['""', ['']],
  ])('%j', (line, words) => {
    expect(shellWords(line)).toEqual(words);
  });
});
