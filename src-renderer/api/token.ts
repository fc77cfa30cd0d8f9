/**
 * The server token arrives once in the address (?token=…). It is moved to sessionStorage and
 * dropped from the address bar so it does not end up in screenshots or shared links, and a
 * reload of the tab still works.
 */
const tokenKey = 'ahunt.token';

export function takeToken(): string | null {
  const params = new URLSearchParams(location.search);
  const fromAddress = params.get('token');
  if (fromAddress) {
    sessionStorage.setItem(tokenKey, fromAddress);
    params.delete('token');
    const query = params.toString();
    history.replaceState(
      null,
      '',
      `${location.pathname}${query ? `?${query}` : ''}${location.hash}`,
    );
    return fromAddress;
  }
  return sessionStorage.getItem(tokenKey);
}
