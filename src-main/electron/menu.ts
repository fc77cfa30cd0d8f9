import { Menu, dialog, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/** The usual menus and accelerators; labelling keys themselves live in the renderer's keymap. */
export function buildMenu(
  window: () => BrowserWindow | null,
  openProject: (dir: string) => void,
): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Project…',
          accelerator: 'CmdOrCtrl+O',
          click: () => {
            const w = window();
            const options = { properties: ['openDirectory' as const, 'createDirectory' as const] };
            const choice = w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options);
            void choice.then((result) => {
              const dir = result.filePaths[0];
              if (!result.canceled && dir) openProject(dir);
            });
          },
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [{ role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
