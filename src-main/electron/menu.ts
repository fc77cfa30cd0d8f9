import { Menu, dialog, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/** The usual menus and accelerators; labelling keys themselves live in the renderer's keymap. */
export function buildMenu(
  window: () => BrowserWindow | null,
  openProject: (dir: string, create: boolean) => void,
): Menu {
  const chooseFolder = (create: boolean) => {
    const w = window();
    const options = {
      title: create ? 'Folder for the new project' : 'Project folder',
      properties: ['openDirectory' as const, 'createDirectory' as const],
    };
    const choice = w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options);
    void choice.then((result) => {
      const dir = result.filePaths[0];
      if (!result.canceled && dir) openProject(dir, create);
    });
  };
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => chooseFolder(true) },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => chooseFolder(false) },
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
