// The replay runs scenarios in a Web Worker and reads its position from the URL: it renders in
// the browser only, and the server sends the shell.
export const ssr = false;
